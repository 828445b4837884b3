/**
 * Index (and data stream) name rules of the create index API:
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html#indices-create-api-path-params
 * lowercase only; none of `\ / * ? " < > | space , #` (and `:` since 7.0); not starting with `-`, `_`, `+`;
 * not `.` or `..`; at most 255 bytes.
 */
import { EsError, indexFields } from './errors.js';

const FORBIDDEN = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'];

function invalid(name: string, why: string): EsError {
  return new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, indexFields(name));
}

/** Throws `invalid_index_name_exception` as Elasticsearch does for a bad name. */
export function validateIndexName(name: string): void {
  if (name.length === 0) throw invalid(name, 'must not be empty');
  if (FORBIDDEN.some((c) => name.includes(c))) {
    throw invalid(name, `must not contain the following characters [${FORBIDDEN.map((c) => `'${c}'`).join(',')}]`);
  }
  if (/^[-_+]/.test(name)) throw invalid(name, "must not start with '_', '-', or '+'");
  if (name === '.' || name === '..') throw invalid(name, "must not be '.' or '..'");
  if (name !== name.toLowerCase()) throw invalid(name, 'must be lowercase');
  const bytes = Buffer.byteLength(name);
  if (bytes > 255) throw invalid(name, `index name is too long, (${bytes} > 255)`);
}
