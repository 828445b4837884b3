import { describe, expect, it } from 'vitest';
import { Fetch } from '../../../../broker/protocol/apis/fetch.js';
import { Metadata } from '../../../../broker/protocol/apis/metadata.js';
import { UnsupportedApiError } from '../../../../runtime/kafka/wire/kafka-error.js';
import { negotiateVersion } from '../../../../runtime/kafka/wire/version-negotiation.js';

describe('negotiateVersion', () => {
  it('picks the highest version both the broker and the codec support', () => {
    expect(negotiateVersion(Fetch, new Map([[1, { min: 4, max: 18 }]]))).toBe(12);
    expect(negotiateVersion(Fetch, new Map([[1, { min: 0, max: 7 }]]))).toBe(7);
    expect(negotiateVersion(Metadata, new Map([[3, { min: 0, max: 12 }]]))).toBe(9);
  });

  it('refuses an API the broker does not serve, or serves only in versions the codec lacks', () => {
    expect(() => negotiateVersion(Fetch, new Map())).toThrow(UnsupportedApiError);
    expect(() => negotiateVersion(Fetch, new Map([[1, { min: 13, max: 18 }]]))).toThrow(/no common version of Fetch/);
  });
});
