/**
 * Throughput: `rows` new orders inserted as fast as MariaDB takes them (multi-row INSERTs of
 * `batch` rows, each its own autocommitted transaction, one connection), while four watchers
 * time the rows' arrival at each destination from the first INSERT:
 *
 * - region A's topic shop.inventory.orders (the CDC connector): end offset, kafkajs admin, every 100 ms;
 * - the index shop.inventory.orders (the Elasticsearch sink): the test server's live document count
 *   (real-time, as GET /_doc sees it; search sees it after the 1 s refresh), every 20 ms;
 * - the bucket (the S3 sink): records of the load's offsets in complete objects, every 250 ms;
 * - region B's region-a.shop.inventory.orders (MirrorMaker): end offset, every 100 ms.
 *
 * Each load row is one create event, one record, one document: the counts are exact.
 */
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { waitForCount, waitForTopicFill, type TopicFill } from '../cdc/topic-watch.js';
import { BUCKET } from '../../test/deploy/pipeline-stack.js';
import { BucketRecords } from './bucket-records.js';
import { INDEX, REMOTE_TOPIC, TOPIC, type PipelineContext } from './stack-setup.js';

const STALL_MS = 120_000;

export interface Destination {
  readonly id: 'kafka-a' | 'index' | 'bucket' | 'region-b';
  readonly what: string;
  /** Seconds from the first INSERT until the first row arrived, half of them, and the last. */
  readonly firstSeconds: number;
  readonly halfSeconds: number;
  readonly seconds: number;
  readonly rowsPerSec: number;
  /** Seconds the destination completed after the last INSERT committed. */
  readonly afterLastInsertSeconds: number;
}

export interface BulkOutcome {
  readonly rows: number;
  readonly batch: number;
  readonly insertSeconds: number;
  readonly insertRowsPerSec: number;
  /** Ids of the load's rows: (maxIdBefore, lastId]. */
  readonly lastId: number;
  readonly destinations: Destination[];
  /** Records of the load in each object that holds any, in offset order. */
  readonly bucketObjectRecords: number[];
}

/** An order for row `n` of a load: existing customer and product ids (foreign keys), varied quantity. */
export function orderValues(ctx: PipelineContext, n: number): string {
  const customer = ctx.customerIds[n % ctx.customerIds.length]!;
  const product = ctx.productIds[(n * 7) % ctx.productIds.length]!;
  return `(${customer},${product},${1 + (n % 5)},'new')`;
}

export const INSERT_ORDERS = 'INSERT INTO orders (customer_id, product_id, quantity, status) VALUES ';

async function insertLoad(conn: Connection, ctx: PipelineContext, rows: number, batch: number): Promise<number> {
  let lastId = 0;
  for (let done = 0; done < rows; done += batch) {
    const values: string[] = [];
    for (let n = done; n < Math.min(rows, done + batch); n++) values.push(orderValues(ctx, n));
    const [result] = await conn.query<ResultSetHeader>(`${INSERT_ORDERS}${values.join(',')}`);
    // insertId is the statement's first id; its rows' ids are consecutive (innodb_autoinc_lock_mode 1 or 2, one writer).
    lastId = result.insertId + values.length - 1;
  }
  return lastId;
}

export async function bulkPhase(ctx: PipelineContext, rows: number, batch: number): Promise<BulkOutcome> {
  const { stack, before } = ctx;
  const conn = await stack.db.connect('inventory');
  const bucket = new BucketRecords(stack.bucketClient, BUCKET, TOPIC, before.topicEnd, before.topicEnd + rows);
  const expectedEnd = before.topicEnd + rows;
  try {
    const start = performance.now();
    const inserted = insertLoad(conn, ctx, rows, batch).then((lastId) => ({ lastId, seconds: (performance.now() - start) / 1000 }));
    const watch = (id: Destination['id'], what: string, fill: Promise<TopicFill>) => fill.then((f) => ({ id, what, ...f }));
    const fills = Promise.all([
      watch('kafka-a', `region A topic ${TOPIC} (CDC)`, waitForTopicFill(ctx.adminA, TOPIC, expectedEnd, start, STALL_MS, ctx.describe, before.topicEnd)),
      watch('index', `index ${INDEX} (Elasticsearch sink)`, waitForCount({
        what: `index ${INDEX}`, count: () => stack.es.count(INDEX), expected: before.tableRows + rows, already: before.tableRows,
        start, stallMs: STALL_MS, describe: ctx.describe, pollMs: 20,
      })),
      watch('bucket', `bucket ${BUCKET} (S3 sink)`, waitForCount({
        what: 'the bucket', count: () => bucket.count(), expected: rows, start, stallMs: STALL_MS, describe: ctx.describe, pollMs: 250,
      })),
      watch('region-b', `region B topic ${REMOTE_TOPIC} (MirrorMaker)`, waitForTopicFill(ctx.adminB, REMOTE_TOPIC, expectedEnd, start, STALL_MS, ctx.describe, before.topicEnd)),
    ]);
    // Neither may become an unhandled rejection while the other is awaited.
    fills.catch(() => undefined);
    const load = await inserted;
    const arrived = await fills;
    if (load.lastId - before.maxId !== rows) throw new Error(`the load's ids run from ${before.maxId + 1} to ${load.lastId}, not ${rows} consecutive ids`);
    return {
      rows, batch, insertSeconds: load.seconds, insertRowsPerSec: rows / load.seconds, lastId: load.lastId, bucketObjectRecords: bucket.objectRecords,
      destinations: arrived.map((a) => ({
        id: a.id, what: a.what, firstSeconds: a.firstSeconds, halfSeconds: a.halfSeconds, seconds: a.lastSeconds, rowsPerSec: rows / a.lastSeconds,
        afterLastInsertSeconds: a.lastSeconds - load.seconds,
      })),
    };
  } finally {
    await conn.end();
  }
}
