/**
 * Debezium's name adjustments: `schema.name.adjustment.mode` for schema names (Key, Value,
 * Envelope, heartbeat, schema-change ...), `field.name.adjustment.mode` for field names, and the
 * topic-name sanitizer of its default topic naming strategy. Characters are UTF-16 code units,
 * as in Java.
 *
 * avro: invalid characters become `_`; a leading digit is kept after the `_` (`1a` → `_1a`).
 * avro_unicode: invalid characters become `_u` + hex code (padded to 4 only when 1-2 digits, as
 * Debezium does), and `_` is not a valid first character. Field names never allow `.`.
 */
import type { NameAdjustmentMode } from './event-settings.js';

export type NameAdjuster = (name: string) => string;

export function schemaNameAdjuster(mode: NameAdjustmentMode): NameAdjuster {
  return adjuster(mode, true);
}

export function fieldNameAdjuster(mode: NameAdjustmentMode): NameAdjuster {
  return adjuster(mode, false);
}

function adjuster(mode: NameAdjustmentMode, allowDot: boolean): NameAdjuster {
  if (mode === 'none') return (name) => name;
  const unicode = mode === 'avro_unicode';
  const letter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  const validFirst = (c: string): boolean => letter(c) || (!unicode && c === '_');
  const validNext = (c: string): boolean => letter(c) || c === '_' || (c >= '0' && c <= '9') || (allowDot && c === '.');
  const replace = (c: string): string => {
    if (!unicode) return '_';
    const hex = c.charCodeAt(0).toString(16);
    return `_u${hex.length <= 2 ? `00${hex}` : hex}`;
  };
  return (name) => {
    if (name.length === 0) return name;
    let out = '';
    const first = name[0]!;
    if (validFirst(first)) out += first;
    else out += replace(first) + (!unicode && first >= '0' && first <= '9' ? first : '');
    for (let i = 1; i < name.length; i++) {
      const c = name[i]!;
      out += validNext(c) ? c : replace(c);
    }
    return out;
  };
}

const MAX_TOPIC_NAME_LENGTH = 249;

/** Kafka-legal topic name: characters outside `[a-zA-Z0-9._-]` become `_`, at most 249 characters. */
export function sanitizeTopicName(topic: string): string {
  let out = topic.replace(/[^a-zA-Z0-9._-]/g, '_');
  if (out.length > MAX_TOPIC_NAME_LENGTH) out = out.slice(0, MAX_TOPIC_NAME_LENGTH);
  else if (out === '.') out = '_';
  else if (out === '..') out = '__';
  return out;
}
