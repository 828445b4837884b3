/**
 * Mapping of a group id to its `__consumer_offsets` partition, exactly as Kafka computes it:
 * abs(Java String#hashCode) mod partitions, where Kafka's abs maps Integer.MIN_VALUE to 0.
 * Java hashes UTF-16 code units, which is what String#charCodeAt yields.
 */

export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

export function partitionFor(groupId: string, partitions: number): number {
  const h = javaStringHashCode(groupId);
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % partitions;
}
