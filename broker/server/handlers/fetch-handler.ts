/**
 * Fetch (broker notes §4.1–4.3). Partitions are served in request order under the request's
 * max_bytes; the first non-empty partition may return one batch larger than the limits so
 * consumers always progress (KIP-74). When less than min_bytes is available and nothing
 * failed, the request parks until an append to one of its partitions or max_wait_ms.
 * No fetch sessions: session_id is always 0, and a client presenting one is told it is unknown.
 *
 * Segment bytes are read into buffers borrowed from a pool (see read-buffers.ts) and handed
 * out as they are stored, without looking at records; the buffers go back to the pool once
 * the response has been written to the socket, or at once when a parked read is discarded.
 */
import { Fetch } from '../../protocol/apis/fetch.js';
import type { RequestOf } from '../../protocol/schema.js';
import { ERR } from '../../protocol/error-codes.js';
import type { PartitionLog } from '../../log/partition-log.js';
import { ReadBufferPool, type ReadAllocator } from '../../log/read-buffers.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

type FetchRequest = RequestOf<typeof Fetch>;
const READ_COMMITTED = 1;

interface Collected {
  responses: {
    topic: string;
    partitions: {
      partitionIndex: number;
      errorCode: number;
      highWatermark: number;
      lastStableOffset: number;
      logStartOffset: number;
      abortedTransactions: { producerId: number; firstOffset: number }[] | null;
      records: Buffer | null;
    }[];
  }[];
  bytes: number;
  failed: boolean;
  logs: PartitionLog[];
}

export function fetchHandler(ctx: BrokerContext): ApiHandler {
  const pool = new ReadBufferPool();
  return handler(Fetch, async (req, { signal, afterResponseWritten }) => {
    if (req.sessionId !== 0) {
      return { throttleTimeMs: 0, errorCode: ERR.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
    }
    const deadline = ctx.now() + Math.max(0, req.maxWaitMs);
    for (;;) {
      const lease = afterResponseWritten ? pool.lease() : undefined;
      const collected = collect(ctx, req, lease);
      const remaining = deadline - ctx.now();
      if (collected.bytes >= req.minBytes || collected.failed || remaining <= 0 || signal.aborted) {
        if (lease) afterResponseWritten!(() => lease.release());
        return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: collected.responses };
      }
      // Less than min_bytes: this read is dropped (nothing else holds it) and redone after the wait.
      lease?.release();
      await appendOrTimeout(collected.logs, remaining, signal);
    }
  });
}

function collect(ctx: BrokerContext, req: FetchRequest, buffers: ReadAllocator | undefined): Collected {
  let budget = req.maxBytes;
  let bytes = 0;
  let failed = false;
  const logs: PartitionLog[] = [];
  const readCommitted = req.isolationLevel === READ_COMMITTED;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      const log = ctx.topics.partition(t.topic, p.partition);
      if (!log) {
        failed = true;
        return empty(p.partition, ERR.UNKNOWN_TOPIC_OR_PARTITION);
      }
      logs.push(log);
      const upTo = readCommitted ? log.lastStableOffset : log.highWatermark;
      const limit = Math.min(p.partitionMaxBytes, budget);
      const read = limit > 0 || bytes === 0
        ? log.read(p.fetchOffset, Math.max(0, limit), { minOneBatch: bytes === 0, maxOffset: upTo, buffers })
        : { records: Buffer.alloc(0) };
      if ('error' in read) {
        failed = true;
        return empty(p.partition, ERR.OFFSET_OUT_OF_RANGE);
      }
      bytes += read.records.length;
      budget = Math.max(0, budget - read.records.length);
      return {
        partitionIndex: p.partition,
        errorCode: 0,
        highWatermark: log.highWatermark,
        lastStableOffset: log.lastStableOffset,
        logStartOffset: log.logStartOffset,
        abortedTransactions: readCommitted && read.records.length > 0
          ? log.abortedTransactions(p.fetchOffset, upTo)
          : null,
        records: read.records,
      };
    }),
  }));
  return { responses, bytes, failed, logs };
}

function empty(partitionIndex: number, errorCode: number) {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1,
    lastStableOffset: -1,
    logStartOffset: -1,
    abortedTransactions: null,
    records: Buffer.alloc(0),
  };
}

function appendOrTimeout(logs: PartitionLog[], ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribes: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      for (const off of unsubscribes) off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    for (const log of logs) unsubscribes.push(log.onAppend(done));
  });
}
