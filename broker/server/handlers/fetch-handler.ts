/**
 * Fetch (broker notes §4.1–4.3). Partitions are served in request order under the request's
 * max_bytes; the first non-empty partition may return one batch larger than the limits so
 * consumers always progress (KIP-74). When less than min_bytes is available and nothing
 * failed, the request parks until an append to one of its partitions or max_wait_ms.
 *
 * Fetch sessions (KIP-227, v7+; rules in fetch-sessions.ts): the request's session id and epoch
 * pick a plan when the request arrives (sessionless, full with a new session, or incremental
 * over a session's partitions). The plan names the partitions to read; what the response lists,
 * and what the session remembers as sent, is decided only when the response is built, after any
 * wait, so a parked incremental fetch compares what it finally sends.
 *
 * read_committed (isolation 1) reads stop at the last stable offset and list the aborted
 * transactions overlapping the returned batches; a parked read_committed fetch wakes on every
 * append to its partitions, transaction markers included, so it sees the LSO move.
 *
 * Segment bytes are read into buffers borrowed from a pool (see read-buffers.ts) and handed
 * out as they are stored, without looking at records; the buffers go back to the pool once
 * the response has been written to the socket, or at once when a parked read is discarded.
 */
import { Fetch } from '../../protocol/apis/fetch.js';
import type { RequestOf, ResponseOf } from '../../protocol/schema.js';
import { ERR } from '../../protocol/error-codes.js';
import { BATCH_HEADER_SIZE, BatchHeader } from '../../protocol/batch-header.js';
import type { PartitionLog } from '../../log/partition-log.js';
import type { ReadAllocator } from '../../log/read-buffers.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import {
  FINAL_EPOCH, FetchSessionCache, INITIAL_EPOCH, SESSIONLESS_ID, nextEpoch,
  type PartitionFetch,
} from '../fetch-sessions.js';

type FetchRequest = RequestOf<typeof Fetch>;
type FetchResponse = ResponseOf<typeof Fetch>;
const READ_COMMITTED = 1;
const FIRST_SESSION_VERSION = 7;

interface PartitionResult {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  records: Buffer;
}

interface Served {
  fetch: PartitionFetch;
  result: PartitionResult;
}

interface Collected {
  served: Served[];
  bytes: number;
  failed: boolean;
  logs: PartitionLog[];
}

/** What to read for a request, and how to turn what was read into its response. */
interface Plan {
  fetches: PartitionFetch[];
  respond(served: Served[]): FetchResponse;
}

export function fetchHandler(ctx: BrokerContext): ApiHandler {
  const pool = ctx.buffers;
  const sessions = new FetchSessionCache(ctx.config.maxIncrementalFetchSessionCacheSlots,
    ctx.config.minIncrementalFetchSessionEvictionMs, () => ctx.now());
  return handler(Fetch, async (req, { header, signal, afterResponseWritten }) => {
    const plan = planFetch(sessions, req, header.apiVersion);
    if (!('fetches' in plan)) return plan;
    const deadline = ctx.now() + Math.max(0, req.maxWaitMs);
    for (;;) {
      const lease = afterResponseWritten ? pool.lease() : undefined;
      const collected = collect(ctx, req, plan.fetches, lease);
      const remaining = deadline - ctx.now();
      if (collected.bytes >= req.minBytes || collected.failed || remaining <= 0 || signal.aborted) {
        if (lease) afterResponseWritten!(() => lease.release());
        return plan.respond(collected.served);
      }
      // Less than min_bytes: this read is dropped (nothing else holds it) and redone after the wait.
      lease?.release();
      await appendOrTimeout(collected.logs, remaining, signal);
    }
  });
}

function planFetch(sessions: FetchSessionCache, req: FetchRequest, version: number): Plan | FetchResponse {
  const requested = req.topics.flatMap((t) => t.partitions.map((p) => ({
    topic: t.topic, partition: p.partition, fetchOffset: p.fetchOffset, maxBytes: p.partitionMaxBytes,
  })));
  const sessionless: Plan = { fetches: requested, respond: (served) => answer(SESSIONLESS_ID, served) };
  if (version < FIRST_SESSION_VERSION) return sessionless;

  if (req.sessionEpoch === INITIAL_EPOCH || req.sessionEpoch === FINAL_EPOCH) {
    // A full fetch closes the session it names; epoch -1 asks for no new one.
    if (req.sessionId !== SESSIONLESS_ID) sessions.remove(req.sessionId);
    if (req.sessionEpoch === FINAL_EPOCH) return sessionless;
    return {
      fetches: requested,
      respond: (served) => {
        const session = sessions.create(served.map(({ fetch, result }) => ({ fetch, outcome: outcomeOf(result) })));
        return answer(session?.id ?? SESSIONLESS_ID, served);
      },
    };
  }

  const session = sessions.get(req.sessionId);
  if (!session) return failure(ERR.FETCH_SESSION_ID_NOT_FOUND);
  if (session.epoch !== req.sessionEpoch) return failure(ERR.INVALID_FETCH_SESSION_EPOCH);
  session.update(requested, req.forgottenTopicsData.flatMap((t) =>
    t.partitions.map((partition) => ({ topic: t.topic, partition }))));
  if (session.size === 0) {
    sessions.remove(session.id);
    return sessionless;
  }
  sessions.touch(session);
  session.epoch = nextEpoch(session.epoch);
  const expectedEpoch = session.epoch;
  return {
    fetches: session.fetches(),
    respond: (served) => {
      // Another request of this session got in while this one waited.
      if (session.epoch !== expectedEpoch) return failure(ERR.INVALID_FETCH_SESSION_EPOCH, session.id);
      return answer(session.id, served.filter(({ fetch, result }) =>
        session.mustList(fetch.topic, fetch.partition, outcomeOf(result))));
    },
  };
}

function outcomeOf(result: PartitionResult) {
  return {
    errorCode: result.errorCode,
    highWatermark: result.highWatermark,
    lastStableOffset: result.lastStableOffset,
    logStartOffset: result.logStartOffset,
    recordBytes: result.records.length,
  };
}

function failure(errorCode: number, sessionId = SESSIONLESS_ID): FetchResponse {
  return { throttleTimeMs: 0, errorCode, sessionId, responses: [] };
}

/** The response listing `served` in order, consecutive partitions of a topic under one entry. */
function answer(sessionId: number, served: Served[]): FetchResponse {
  const responses: { topic: string; partitions: PartitionResult[] }[] = [];
  for (const { fetch, result } of served) {
    const last = responses.at(-1);
    if (last?.topic === fetch.topic) last.partitions.push(result);
    else responses.push({ topic: fetch.topic, partitions: [result] });
  }
  return { throttleTimeMs: 0, errorCode: 0, sessionId, responses };
}

function collect(
  ctx: BrokerContext, req: FetchRequest, fetches: PartitionFetch[], buffers: ReadAllocator | undefined,
): Collected {
  let budget = req.maxBytes;
  let bytes = 0;
  let failed = false;
  const logs: PartitionLog[] = [];
  const readCommitted = req.isolationLevel === READ_COMMITTED;
  const served = fetches.map((fetch): Served => {
    const log = ctx.topics.partition(fetch.topic, fetch.partition);
    if (!log) {
      failed = true;
      return { fetch, result: empty(fetch.partition, ERR.UNKNOWN_TOPIC_OR_PARTITION) };
    }
    logs.push(log);
    const upTo = readCommitted ? log.lastStableOffset : log.highWatermark;
    const limit = Math.min(fetch.maxBytes, budget);
    const read = limit > 0 || bytes === 0
      ? log.read(fetch.fetchOffset, Math.max(0, limit), { minOneBatch: bytes === 0, maxOffset: upTo, buffers })
      : { records: Buffer.alloc(0) };
    if ('error' in read) {
      failed = true;
      return { fetch, result: empty(fetch.partition, ERR.OFFSET_OUT_OF_RANGE) };
    }
    bytes += read.records.length;
    budget = Math.max(0, budget - read.records.length);
    return {
      fetch,
      result: {
        partitionIndex: fetch.partition,
        errorCode: 0,
        highWatermark: log.highWatermark,
        lastStableOffset: log.lastStableOffset,
        logStartOffset: log.logStartOffset,
        abortedTransactions: readCommitted && read.records.length > 0
          ? log.abortedTransactions(fetch.fetchOffset, nextOffsetAfter(read.records))
          : null,
        records: read.records,
      },
    };
  });
  return { served, bytes, failed, logs };
}

/**
 * The offset after the last batch of `records` (whole batches): the upper bound of the aborted
 * transactions a read_committed response lists (exactly-once reference §4.6), so it names
 * exactly those overlapping what it returns.
 */
function nextOffsetAfter(records: Buffer): number {
  let next = -1;
  for (let at = 0; at + BATCH_HEADER_SIZE <= records.length;) {
    const h = new BatchHeader(records, at);
    next = h.nextOffset;
    at += h.size;
  }
  return next;
}

function empty(partitionIndex: number, errorCode: number): PartitionResult {
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
