/**
 * How `ferry topics consume` prints a record, one line each:
 *
 * - text:  `Partition:0  Offset:5  CreateTime:2026-12-06T14:30:00.123Z  Key:k  Headers:a:1,b:2  Value:v`
 *          (tab-separated; `null` for a null key or value, `Headers:none` without headers; bytes
 *          that are not UTF-8 are decoded with replacement characters)
 * - json:  one JSON object per line: topic, partition, offset, timestamp (ms since the epoch),
 *          timestampType, key, value, headers [{key, value}]. Keys, values and header values are
 *          strings when their bytes are UTF-8, `{"base64": "..."}` otherwise, or null.
 * - value: the value alone (`null` for a null value), as kafka-console-consumer prints by default.
 *
 * Line breaks inside keys, values and headers are printed as `\n` in text and value formats,
 * so every record stays on one line.
 */

export type RecordFormat = 'text' | 'json' | 'value';

export const RECORD_FORMATS: readonly RecordFormat[] = ['text', 'json', 'value'];

export interface PrintableRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
  readonly timestamp: number;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type JsonBytes = string | { readonly base64: string } | null;

function jsonBytes(bytes: Buffer | null): JsonBytes {
  if (bytes === null) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return { base64: bytes.toString('base64') };
  }
}

function oneLineText(bytes: Buffer | null): string {
  if (bytes === null) return 'null';
  return bytes.toString('utf8').replace(/\r?\n/g, '\\n');
}

function isoTime(timestamp: number): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) || timestamp < 0 ? String(timestamp) : date.toISOString();
}

export function formatRecord(record: PrintableRecord, format: RecordFormat): string {
  switch (format) {
    case 'value':
      return `${oneLineText(record.value)}\n`;
    case 'json':
      return `${JSON.stringify({
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        timestampType: record.timestampType,
        key: jsonBytes(record.key),
        value: jsonBytes(record.value),
        headers: record.headers.map((h) => ({ key: h.key, value: jsonBytes(h.value) })),
      })}\n`;
    case 'text': {
      const headers = record.headers.length === 0
        ? 'none'
        : record.headers.map((h) => `${h.key.replace(/\r?\n/g, '\\n')}:${oneLineText(h.value)}`).join(',');
      return [
        `Partition:${record.partition}`,
        `Offset:${record.offset}`,
        `${record.timestampType}:${isoTime(record.timestamp)}`,
        `Key:${oneLineText(record.key)}`,
        `Headers:${headers}`,
        `Value:${oneLineText(record.value)}`,
      ].join('\t') + '\n';
    }
  }
}
