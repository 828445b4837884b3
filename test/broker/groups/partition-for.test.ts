import { describe, expect, it } from 'vitest';
import { javaStringHashCode, partitionFor } from '../../../broker/groups/partition-for.js';

describe('partitionFor', () => {
  it('matches Java String#hashCode, including overflow and non-ASCII text', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('Aa')).toBe(2112);
    expect(javaStringHashCode('BB')).toBe(2112);
    expect(javaStringHashCode('hello world')).toBe(1794106052);
    expect(javaStringHashCode('connect-cluster')).toBe(reference('connect-cluster'));
    expect(javaStringHashCode('grüße-😀')).toBe(reference('grüße-😀'));
  });

  it('maps groups to partitions with Kafka abs(), sending Integer.MIN_VALUE to partition 0', () => {
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(partitionFor('polygenelubricants', 50)).toBe(0);
    expect(partitionFor('Aa', 50)).toBe(12);
    expect(javaStringHashCode('test-consumer-group')).toBe(reference('test-consumer-group'));
    expect(javaStringHashCode('test-consumer-group')).toBeLessThan(0);
    expect(partitionFor('test-consumer-group', 50)).toBe(31);
  });
});

function reference(s: string): number {
  let h = 0n;
  for (let i = 0; i < s.length; i++) h = BigInt.asIntN(32, h * 31n + BigInt(s.charCodeAt(i)));
  return Number(h);
}
