import { describe, expect, it } from 'vitest';
import { tuneHeapForDataPath } from '../../cli/heap-tuning.js';

describe('the data path GC settings of long-running commands', () => {
  it('turns pretenuring off and lets the old generation double what survived, when the user chose neither', () => {
    expect(tuneHeapForDataPath([], '')).toEqual(['--no-allocation-site-pretenuring', '--heap-growing-percent=100']);
  });

  it('keeps a setting the user gave on node\'s command line or in NODE_OPTIONS, in either spelling', () => {
    expect(tuneHeapForDataPath(['--heap-growing-percent=30'], '')).toEqual(['--no-allocation-site-pretenuring']);
    expect(tuneHeapForDataPath([], '--max-old-space-size=512 --allocation_site_pretenuring')).toEqual(['--heap-growing-percent=100']);
    expect(tuneHeapForDataPath(['--no-allocation-site-pretenuring', '--heap_growing_percent=0'], '')).toEqual([]);
  });
});
