/**
 * Signals: rows of the signal table (`signal.data.collection`; columns id, type, data in that
 * order, as Debezium reads them by position) turned into what the connector acts on. Unknown
 * types and malformed data are reported, never fatal: a typo in a signal must not stop capture.
 */

export const WINDOW_OPEN = 'snapshot-window-open';
export const WINDOW_CLOSE = 'snapshot-window-close';

export interface AdditionalCondition {
  /** Anchored regular expression of `db.table`. */
  readonly dataCollection: RegExp;
  readonly filter: string;
}

export type Signal =
  | { readonly type: 'execute-snapshot'; readonly id: string; readonly dataCollections: readonly string[]; readonly snapshotType: string;
    readonly additionalConditions: readonly AdditionalCondition[]; readonly surrogateKey: string | null }
  | { readonly type: 'stop-snapshot'; readonly id: string; readonly dataCollections: readonly string[] }
  | { readonly type: 'pause-snapshot' | 'resume-snapshot'; readonly id: string }
  | { readonly type: 'log'; readonly id: string; readonly message: string }
  | { readonly type: typeof WINDOW_OPEN | typeof WINDOW_CLOSE; readonly id: string }
  | { readonly type: 'unknown'; readonly id: string; readonly name: string };

export class SignalError extends Error {}

function data(raw: string | null, id: string, type: string): Record<string, unknown> {
  if (raw === null || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SignalError(`Signal '${id}' (${type}) has data that is not JSON: ${raw.slice(0, 200)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SignalError(`Signal '${id}' (${type}) has data that is not a JSON object: ${raw.slice(0, 200)}`);
  }
  return parsed as Record<string, unknown>;
}

function stringList(value: unknown, field: string, id: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new SignalError(`Signal '${id}': '${field}' must be a list of strings`);
  }
  return (value as string[]).map((v) => v.trim()).filter((v) => v !== '');
}

function conditions(value: unknown, id: string): AdditionalCondition[] {
  if (value === undefined || value === null) return [];
  // Debezium's older form: one condition string for every listed table.
  if (typeof value === 'string') return value.trim() === '' ? [] : [{ dataCollection: /^.*$/, filter: value }];
  if (!Array.isArray(value)) throw new SignalError(`Signal '${id}': 'additional-conditions' must be a list`);
  return value.map((entry) => {
    const o = (entry ?? {}) as Record<string, unknown>;
    if (typeof o['data-collection'] !== 'string' || typeof o.filter !== 'string') {
      throw new SignalError(`Signal '${id}': each additional condition needs 'data-collection' and 'filter' strings`);
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${o['data-collection']})$`);
    } catch (error) {
      throw new SignalError(`Signal '${id}': 'data-collection' ${o['data-collection']} is not a regular expression (${(error as Error).message})`);
    }
    return { dataCollection: pattern, filter: o.filter };
  });
}

/** A signal from the id, type and data columns of a signal-table row. Throws SignalError for malformed data. */
export function parseSignal(id: string, type: string, raw: string | null): Signal {
  switch (type) {
    case WINDOW_OPEN:
    case WINDOW_CLOSE:
      return { type, id };
    case 'execute-snapshot': {
      const d = data(raw, id, type);
      const dataCollections = stringList(d['data-collections'], 'data-collections', id);
      if (dataCollections.length === 0) throw new SignalError(`Signal '${id}' (execute-snapshot) names no 'data-collections'`);
      const surrogate = d['surrogate-key'];
      return {
        type, id, dataCollections,
        snapshotType: typeof d.type === 'string' ? d.type.toLowerCase() : 'incremental',
        additionalConditions: conditions(d['additional-conditions'] ?? d['additional-condition'], id),
        surrogateKey: typeof surrogate === 'string' && surrogate.trim() !== '' ? surrogate.trim() : null,
      };
    }
    case 'stop-snapshot': {
      const d = data(raw, id, type);
      return { type, id, dataCollections: stringList(d['data-collections'], 'data-collections', id) };
    }
    case 'pause-snapshot':
    case 'resume-snapshot':
      return { type, id };
    case 'log': {
      const d = data(raw, id, type);
      return { type, id, message: typeof d.message === 'string' ? d.message : JSON.stringify(d) };
    }
    default:
      return { type: 'unknown', id, name: type };
  }
}
