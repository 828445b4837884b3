/**
 * Field paths (KIP-821, Kafka's SingleFieldPath and FieldSyntaxVersion), selected by
 * `field.syntax.version`:
 * - V1 (default): the whole text names one top-level field, dots included.
 * - V2: dots separate nested steps (`address.city`); a step holding dots is wrapped in
 *   backticks (`` `a.b`.c ``), and a backtick inside such a step is escaped with a backslash
 *   when it is followed by a dot. A trailing dot adds an empty last step.
 * A path that leads nowhere gives null (no field, a null on the way), never an error.
 */
import type { Field, Schema } from '../../../connectors/sdk/data/schema.js';
import type { Struct } from '../../../connectors/sdk/data/struct.js';
import { choice } from '../../../connectors/sdk/config/config-spec.js';
import { requireMapOrNull, requireStructOrNull } from './requirements.js';
import { getField, type SchemalessMap } from './schemaless-map.js';

export type FieldSyntaxVersion = 'V1' | 'V2';

export function fieldSyntaxVersionField() {
  return choice({
    doc: 'How field paths are read. V1: a path names one top-level field. V2: dots separate nested fields, and '
      + 'backticks wrap a name that itself contains dots, e.g. `foo.bar`.baz reads field baz of field "foo.bar".',
    values: ['V1', 'V2'], caseInsensitive: true, default: 'V1', importance: 'HIGH', since: '3.8',
  });
}

const NESTED_PURPOSE = 'nested field access';

export class SingleFieldPath {
  readonly version: FieldSyntaxVersion;
  readonly steps: readonly string[];

  /** Throws Error for a V2 path with an unclosed backtick. */
  constructor(text: string, version: FieldSyntaxVersion) {
    this.version = version;
    this.steps = version === 'V1' ? [text] : parseV2(text);
  }

  /** The field the path names in `schema`, or null. */
  fieldFrom(schema: Schema | null): Field | null {
    if (schema === null) return null;
    let current = schema;
    for (const step of this.steps.slice(0, -1)) {
      const field = current.field(step);
      if (field === null) return null;
      current = field.schema;
    }
    return current.field(this.steps[this.steps.length - 1]);
  }

  valueFromStruct(struct: Struct | null, withDefault = true): unknown {
    let current = struct;
    for (const step of this.steps.slice(0, -1)) {
      if (current === null || current.schema.field(step) === null) return null;
      current = requireStructOrNull(current.get(step), NESTED_PURPOSE);
    }
    const last = this.steps[this.steps.length - 1];
    if (current === null || current.schema.field(last) === null) return null;
    return withDefault ? current.get(last) : current.getWithoutDefault(last);
  }

  valueFromMap(map: SchemalessMap | null): unknown {
    let current = map;
    for (const step of this.steps.slice(0, -1)) {
      if (current === null) return null;
      current = requireMapOrNull(getField(current, step), NESTED_PURPOSE);
    }
    return current === null ? null : getField(current, this.steps[this.steps.length - 1]);
  }

  toString(): string {
    return this.steps.join('.');
  }
}

function incompleteBacktick(path: string, at: number): Error {
  return new Error(`Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`);
}

function parseV2(path: string): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length) {
    if (path[idx] !== '`') {
      const dot = path.indexOf('.', idx);
      if (dot < 0) {
        steps.push(path.slice(idx));
        idx = path.length;
      } else {
        steps.push(path.slice(idx, dot));
        idx = dot + 1;
      }
      continue;
    }
    const backtickAt = idx;
    idx++;
    let start = idx;
    let step = '';
    for (;;) {
      idx = path.indexOf('`', idx);
      if (idx < 0) throw incompleteBacktick(path, backtickAt);
      const escaped = path[idx - 1] === '\\';
      if (idx >= path.length - 1) {
        if (escaped) throw incompleteBacktick(path, backtickAt);
        steps.push(step + path.slice(start, idx));
        idx++;
        break;
      }
      if (path[idx + 1] !== '.') {
        idx++;
        continue;
      }
      if (escaped) {
        step += `${path.slice(start, idx - 1)}\``;
        idx++;
        start = idx;
        continue;
      }
      steps.push(step + path.slice(start, idx));
      idx += 2;
      break;
    }
  }
  if (path === '' || path.endsWith('.')) steps.push('');
  return steps;
}
