import { describe, expect, it } from 'vitest';
import { addPrefix, aliasConfigs, extractPrefixed, omitPrefixed } from '../../../runtime/config/config-prefix.js';

const raw = {
  'transforms': 'mask,route',
  'transforms.mask.type': 'MaskField$Value',
  'transforms.mask.fields': 'ssn',
  'transforms.route.type': 'RegexRouter',
  'producer.override.acks': 'all',
  'producer.override.': 'ignored',
};

describe('prefixed sub-configs', () => {
  it('extracts the keys under a prefix, stripped or not', () => {
    expect(extractPrefixed(raw, 'producer.override.')).toEqual({ acks: 'all' });
    expect(extractPrefixed(raw, 'producer.override.', { strip: false })).toEqual({ 'producer.override.acks': 'all' });
  });

  it('splits alias sub-configs and drops prefixed keys from the rest', () => {
    expect(aliasConfigs(raw, 'transforms.', ['mask', 'route'])).toEqual(new Map([
      ['mask', { type: 'MaskField$Value', fields: 'ssn' }],
      ['route', { type: 'RegexRouter' }],
    ]));
    expect(omitPrefixed(raw, 'transforms.', 'producer.')).toEqual({ transforms: 'mask,route' });
  });

  it('adds a prefix to every key', () => {
    expect(addPrefix({ acks: 'all' }, 'producer.')).toEqual({ 'producer.acks': 'all' });
  });
});
