import { describe, expect, it } from 'vitest';
import { listItems, tidyList } from '../../../console/src/form/list-value.js';

describe('LIST values', () => {
  it('are tidied the way Connect reads them', () => {
    expect(tidyList(' orders, customers ,,payments ')).toBe('orders,customers,payments');
    expect(listItems('a, b')).toEqual(['a', 'b']);
    expect(tidyList('')).toBe('');
  });

  it('keep a provider reference exactly as written', () => {
    expect(tidyList('${file:/etc/topics.properties:list} , x')).toBe('${file:/etc/topics.properties:list} , x');
  });
});
