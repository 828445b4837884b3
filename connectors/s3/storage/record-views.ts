/**
 * The files one encoded partition's records go to, side by side under the same file stem:
 * the values (`.json` / `.bin`), and when asked for the keys (`.keys.<ext>`, Confluent's
 * store.kafka.keys), the headers (`.headers.json`, Confluent's store.kafka.headers: a JSON array
 * of {"key","value"} per record, header values as strings) and ferry's metadata
 * (`.metadata.json`: {"offset","timestamp"} per record). Line N of every file is record N.
 * Compressed files add `.gz`. The S3 source reads the same names back.
 */
export const KEYS_INFIX = '.keys';
export const HEADERS_SUFFIX = '.headers.json';
export const METADATA_SUFFIX = '.metadata.json';
export const GZIP_SUFFIX = '.gz';

export type ViewKind = 'value' | 'keys' | 'headers' | 'metadata';

/** Which view a suffix (everything after the offset in a file name) belongs to, or null. */
export function viewOfSuffix(suffix: string, valueExtensions: readonly string[]): { view: ViewKind; extension: string; gzip: boolean } | null {
  const gzip = suffix.endsWith(GZIP_SUFFIX);
  const bare = gzip ? suffix.slice(0, -GZIP_SUFFIX.length) : suffix;
  if (bare === HEADERS_SUFFIX) return { view: 'headers', extension: '.json', gzip };
  if (bare === METADATA_SUFFIX) return { view: 'metadata', extension: '.json', gzip };
  if (bare.startsWith(KEYS_INFIX)) {
    const extension = bare.slice(KEYS_INFIX.length);
    return valueExtensions.includes(extension) ? { view: 'keys', extension, gzip } : null;
  }
  return valueExtensions.includes(bare) ? { view: 'value', extension: bare, gzip } : null;
}
