import { describe, expect, it } from 'vitest';
import { HEALTHY, probeHealth, UNHEALTHY } from '../../../runtime/control/worker-health.js';

describe('probeHealth', () => {
  it('is healthy when the probe answers in time, even with an error', async () => {
    expect(await probeHealth(async () => undefined, 1000)).toEqual(HEALTHY);
    expect(await probeHealth(() => Promise.reject(new Error('failed')), 1000)).toEqual(HEALTHY);
  });

  it('is unhealthy when the probe does not answer in time', async () => {
    expect(await probeHealth(() => new Promise(() => undefined), 20)).toEqual(UNHEALTHY);
  });
});
