/**
 * The bulk executor: runs the parsed actions in request order, applies per-item fault injection,
 * counts results, honours `?refresh`, and builds the answer
 * `{ took, errors, items: [{ <op>: {...} }] }` (`errors` is true when any item carries an `error`;
 * a delete of a missing document answers 404 `not_found` without one):
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html#bulk-api-response-body
 */
import type { BulkAction } from './bulk-parser.js';
import type { Cluster } from './cluster.js';
import { DocumentWriter, type ItemResult } from './document-writes.js';
import { itemRejection, type Faults } from './faults.js';

export interface BulkStats {
  bulkRequests: number;
  items: number;
  itemStatuses: Record<string, number>;
}

/** One executed bulk request: when (performance.now() of the server's process), its actions, how long parsing and executing it took (ms). */
export interface BulkTiming {
  atMs: number;
  items: number;
  ms: number;
}

/**
 * Timings of the bulk requests every test server of this process executed, kept only once
 * `recordBulkTimings()` was called (the Elasticsearch benchmark's request timeline).
 */
export const bulkTimings: { enabled: boolean; readonly entries: BulkTiming[] } = { enabled: false, entries: [] };

export function recordBulkTimings(): readonly BulkTiming[] {
  bulkTimings.enabled = true;
  return bulkTimings.entries;
}

export class BulkExecutor {
  readonly writer: DocumentWriter;
  readonly stats: BulkStats = { bulkRequests: 0, items: 0, itemStatuses: {} };

  constructor(private readonly cluster: Cluster, private readonly faults: Faults) {
    this.writer = new DocumentWriter(cluster);
  }

  private count(result: ItemResult): void {
    this.stats.items++;
    const key = String(result.status);
    this.stats.itemStatuses[key] = (this.stats.itemStatuses[key] ?? 0) + 1;
  }

  execute(actions: readonly BulkAction[], refresh: string | undefined): Record<string, unknown> {
    const started = Date.now();
    const items: Record<string, unknown>[] = [];
    const touched = new Set<string>();
    let errors = false;
    for (const action of actions) {
      const result = this.faults.takeItemRejection()
        ? this.writer.failure(action.index, action.id, itemRejection())
        : this.writer.execute(action);
      this.count(result);
      if (result.body.error !== undefined) errors = true;
      else touched.add(result.body._index as string);
      items.push({ [action.op]: result.body });
    }
    if (refresh === 'true' || refresh === '' || refresh === 'wait_for') {
      for (const name of touched) this.cluster.indices.get(name)?.refresh();
      if (refresh !== 'wait_for') {
        for (const item of items) {
          const body = Object.values(item)[0] as Record<string, unknown>;
          if (body.error === undefined && body.result !== 'noop') body.forced_refresh = true;
        }
      }
    }
    return { errors, took: Math.max(0, Date.now() - started), items };
  }
}
