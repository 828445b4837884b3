/**
 * The same-run baseline: the bulk's rows moved from MariaDB to the same Elasticsearch test
 * server without Kafka and without ferry. mysql2 reads them back in keyset batches (`SELECT ...
 * WHERE id > last ORDER BY id LIMIT batch`) and @elastic/elasticsearch's client.bulk indexes each
 * batch into a separate index, the document being the row's columns with its id as _id, as the
 * sink writes them. The next SELECT runs while the current bulk is in flight: one reader, one
 * writer, the sink's default batch.size (2,000).
 */
import { Client } from '@elastic/elasticsearch';
import type { RowDataPacket } from 'mysql2/promise';
import type { PipelineContext } from './stack-setup.js';

export const BASELINE_INDEX = 'baseline.orders';
export const BASELINE_BATCH = 2000;

export interface BaselineOutcome {
  readonly rows: number;
  readonly batch: number;
  readonly seconds: number;
  readonly rowsPerSec: number;
}

/** Rows with ids in (afterId, lastId]. */
export async function bareBaseline(ctx: PipelineContext, afterId: number, lastId: number): Promise<BaselineOutcome> {
  const { db, es } = ctx.stack;
  const conn = await db.connect('inventory');
  const client = new Client({ node: es.url });
  try {
    const select = async (after: number) => (await conn.query<RowDataPacket[]>(
      'SELECT id, customer_id, product_id, quantity, status FROM orders WHERE id > ? AND id <= ? ORDER BY id LIMIT ?', [after, lastId, BASELINE_BATCH],
    ))[0];
    const start = performance.now();
    let rows = 0;
    let next = select(afterId);
    for (;;) {
      const batch = await next;
      if (batch.length === 0) break;
      next = select(Number(batch.at(-1)!['id']));
      const operations = batch.flatMap((row) => [{ index: { _index: BASELINE_INDEX, _id: String(row['id']) } }, { ...row }]);
      const answer = await client.bulk({ operations });
      if (answer.errors) throw new Error(`a bulk into ${BASELINE_INDEX} had item errors`);
      rows += batch.length;
    }
    const seconds = (performance.now() - start) / 1000;
    if (es.count(BASELINE_INDEX) !== lastId - afterId) throw new Error(`${BASELINE_INDEX} holds ${es.count(BASELINE_INDEX)} documents, not ${lastId - afterId}`);
    return { rows, batch: BASELINE_BATCH, seconds, rowsPerSec: rows / seconds };
  } finally {
    await client.close();
    await conn.end();
  }
}

/**
 * Warms the Elasticsearch test server (it runs in this process) before anything is timed, as
 * bench:elasticsearch does: without it the pipeline, timed first, would pay for the server's JIT
 * warm-up and the baseline, timed last, would not.
 */
export async function warmUpServer(ctx: PipelineContext, documents: number): Promise<void> {
  const client = new Client({ node: ctx.stack.es.url });
  try {
    for (let first = 0; first < documents; first += BASELINE_BATCH) {
      const operations: unknown[] = [];
      for (let id = first; id < Math.min(documents, first + BASELINE_BATCH); id++) {
        operations.push({ index: { _index: 'warm-up', _id: String(id) } }, { id, customer_id: 1001, product_id: 101, quantity: 1 + (id % 5), status: 'new' });
      }
      await client.bulk({ operations });
    }
  } finally {
    await client.close();
  }
  ctx.stack.es.deleteIndex('warm-up');
}

/** The pipeline's document and the baseline's for the same row are equal (the baseline writes what the sink does). */
export function sameDocuments(ctx: PipelineContext, index: string, id: number): boolean {
  const sink = ctx.stack.es.documents(index).get(String(id))?.source;
  const bare = ctx.stack.es.documents(BASELINE_INDEX).get(String(id))?.source;
  return sink !== undefined && JSON.stringify(sink) === JSON.stringify(bare);
}
