/**
 * The bytes a header converter made of one ConnectHeader object, kept for the next record that
 * carries the same object (a connector's constant headers, such as Debezium's context headers,
 * are one array shared by every record it emits), so they are converted once, not per record.
 *
 * Invariants: only headers whose value is a primitive (string, number, bigint, boolean, null)
 * are remembered, since ConnectHeader is readonly and such a value cannot change under the same
 * object; an entry is used only for the topic it was converted for (a converter may depend on
 * the topic, never on anything else of the record); header converters are deterministic, so
 * the remembered Buffer is the one the converter would return again. Buffers are shared by the
 * records that use them and never written to. Entries go with their header objects (WeakMap).
 */
import type { ConnectHeader } from '../../connectors/sdk/connect-record.js';

interface Converted {
  readonly topic: string;
  readonly bytes: Buffer | null;
}

export class ConvertedHeaderMemo {
  readonly #converted = new WeakMap<ConnectHeader, Converted>();

  /** The header's bytes: remembered ones for this topic, else `convert()`'s (remembered when the value is primitive). */
  bytesOf(topic: string, header: ConnectHeader, convert: () => Buffer | null): Buffer | null {
    const known = this.#converted.get(header);
    if (known !== undefined && known.topic === topic) return known.bytes;
    const bytes = convert();
    if (isPrimitive(header.value)) this.#converted.set(header, { topic, bytes });
    return bytes;
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol');
}
