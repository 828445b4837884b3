import { describe, expect, it } from 'vitest';
import { ALL_APIS, apiByKey, Fetch, Produce } from '../../../../broker/protocol/apis/index.js';

describe('API registry', () => {
  it('lists each API once, ordered by key', () => {
    const keys = ALL_APIS.map((api) => api.key);
    expect(keys).toEqual([...new Set(keys)].sort((a, b) => a - b));
    expect(ALL_APIS).toHaveLength(34);
  });

  it('finds every API by its key and nothing for an unknown key', () => {
    for (const api of ALL_APIS) expect(apiByKey(api.key)).toBe(api);
    expect(apiByKey(1)).toBe(Fetch);
    expect(apiByKey(27)).toBeUndefined();
    expect(apiByKey(9999)).toBeUndefined();
  });

  it('advertises Produce from v0 while serving only v3 to v8', () => {
    expect([Produce.advertisedMin, Produce.minVersion, Produce.maxVersion]).toEqual([0, 3, 8]);
    for (const api of ALL_APIS) expect(api.advertisedMin).toBeLessThanOrEqual(api.minVersion);
  });
});
