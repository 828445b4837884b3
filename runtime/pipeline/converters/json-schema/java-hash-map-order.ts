/**
 * The iteration order of a java.util.HashMap with String keys, which decides the key order of the
 * JSON Schema text Confluent's JsonSchemaConverter registers: its schema objects keep their
 * `properties`, extra keywords (`connect.index`, `connect.type`, …) and `connect.parameters` in
 * HashMaps, and the printed text follows their iteration order. To register the same text (and so
 * share ids and hit lookups), ferry orders those keys the same way.
 *
 * A HashMap iterates its table bucket by bucket (bucket = spread hash & (capacity - 1), spread
 * hash = h ^ (h >>> 16) of String.hashCode), and keys sharing a bucket in insertion order. The
 * capacity depends on how the map was built, hence the three constructions below. The copy
 * constructor sizes its table as JDK 19 and later do (ceil(size / 0.75)); Confluent Platform 8
 * runs on Java 21. (Bins of eight or more colliding keys, which Java turns into trees, do not occur
 * with the few keys a schema object has.)
 */

const LOAD_FACTOR = 0.75;
const DEFAULT_CAPACITY = 16;

/** Java's String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

function bucketOf(key: string, capacity: number): number {
  const h = javaStringHash(key);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/** HashMap.tableSizeFor: the smallest power of two ≥ n (at least 1). */
function tableSizeFor(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/** The capacity after `count` puts into a table that starts at `initial` and doubles past 0.75 full. */
function grownCapacity(initial: number, count: number): number {
  let capacity = initial;
  while (count > capacity * LOAD_FACTOR) capacity *= 2;
  return capacity;
}

function ordered(keys: readonly string[], capacity: number): string[] {
  return keys
    .map((key, position) => ({ key, position, bucket: bucketOf(key, capacity) }))
    .sort((a, b) => a.bucket - b.bucket || a.position - b.position)
    .map((e) => e.key);
}

/** `new HashMap<>()` then a put per key, in `keys` order (distinct keys). */
export function hashMapOrder(keys: readonly string[]): string[] {
  return ordered(keys, grownCapacity(DEFAULT_CAPACITY, keys.length));
}

/** `new HashMap<>(other)`, a copy of a map holding `keys` (in its iteration order). */
export function copiedHashMapOrder(keys: readonly string[]): string[] {
  if (keys.length === 0) return [];
  return ordered(keys, grownCapacity(tableSizeFor(Math.ceil(keys.length / LOAD_FACTOR)), keys.length));
}

/** `new HashMap<>(keys.length)` then a put per key (org.json's JSONObject built from a Map). */
export function presizedHashMapOrder(keys: readonly string[]): string[] {
  return ordered(keys, grownCapacity(tableSizeFor(keys.length), keys.length));
}
