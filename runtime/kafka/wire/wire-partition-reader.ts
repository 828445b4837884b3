/**
 * PartitionReader (connectors/sdk/kafka-clusters.ts) over the wire client: a group-less
 * consumer of assigned partitions that fetches ahead, so a relay's processing overlaps the
 * next fetch.
 *
 * Fetching ahead: one loop per leader broker, each with one Fetch in flight on this reader's
 * own lane (its long polls never delay ListOffsets or Metadata). A response is appended to
 * the buffer as one chunk per partition, a FetchedRecordCursor that decodes records into
 * views of the response bytes (no copies) only as poll/takeBatch take them, so buffered
 * records cost no JS objects and those handed out die young; the loop sends its next Fetch as soon as the answer
 * is in, while the bytes buffered and not yet polled stay under the look-ahead bound: the
 * largest of the last few responses (at least max.partition.fetch.bytes, at most
 * fetch.max.bytes). Above it the loops wait for poll to take records; the Fetch then goes out
 * as soon as poll took part of a response, so one is in flight while the caller works through
 * the previous one, also on a link with latency (20 ms each way kept 0.87x of the direct
 * rate). Buffering up to fetch.max.bytes (50 MiB) instead kept records alive long enough for
 * V8 to promote them, and their response buffers were then freed only by rare full
 * collections: a worker mirroring 0.8 GB peaked at 1.4 GB RSS (now 0.45-0.7 GB), and the bare
 * relay went from 73 to 105 MB/s. Each loop keeps an incremental fetch session (KIP-227,
 * fetch-session.ts) with its broker where the broker offers one (Fetch v7+), so a Fetch lists
 * only the partitions whose fetch offset moved, not every partition the loop reads. A
 * partition rides at most one Fetch at a time; its fetch position runs ahead of its position
 * (the next offset poll returns).
 *
 * Generations: every assign or unassign of a partition bumps its generation. Chunks and Fetch
 * answers carry the generation they were made for, so whatever belongs to an earlier one is
 * dropped instead of delivered.
 *
 * Errors: OFFSET_OUT_OF_RANGE looks the fetch position up again by auto.offset.reset
 * (earliest or latest; none parks the partition and logs an error). Anything else, such as a
 * broken connection, a moved leader or a missing topic, parks the partitions concerned until
 * the maintenance task (one at a time, exponential back-off) refreshes metadata, finds their
 * leader and resolves their start offsets; poll is never rejected for those. A record that
 * does not decode when taken parks its partition the same way, to be fetched again from its
 * position. One warning per
 * outage, and one info line when reading goes on.
 */
import type { Logger } from 'pino';
import type { ConsumerSettings } from '../client-settings.js';
import { Fetch } from '../../../broker/protocol/apis/fetch.js';
import { ListOffsets } from '../../../broker/protocol/apis/list-offsets.js';
import type {
  ClusterPartition, ClusterRecord, PartitionReader, StartOffset,
} from '../../../connectors/sdk/kafka-clusters.js';
import { FETCH_SESSION_ERRORS, FETCH_SESSIONS_SINCE, FetchSession, type FetchPartition } from './fetch-session.js';
import { FetchedRecordCursor } from './fetched-records.js';
import { KafkaError } from './kafka-error.js';
import { NodeLoops } from './node-loops.js';
import { SingleFlight } from './single-flight.js';
import type { WireCluster } from './wire-cluster.js';

/** How many responses the look-ahead bound looks back over. */
const RECENT_RESPONSES = 8;

export interface PartitionReaderSettings {
  /** auto.offset.reset: where an out-of-range partition goes; none parks it. */
  readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  /** fetch.min.bytes */
  readonly fetchMinBytes: number;
  /** fetch.max.bytes: per Fetch, and the most bytes buffered before fetching pauses. */
  readonly fetchMaxBytes: number;
  /** max.partition.fetch.bytes */
  readonly maxPartitionFetchBytes: number;
  /** fetch.max.wait.ms */
  readonly fetchMaxWaitMs: number;
  /** request.timeout.ms; a Fetch may take this plus fetch.max.wait.ms. */
  readonly requestTimeoutMs: number;
  /** max.poll.records: poll's limit when the caller gives none. */
  readonly maxPollRecords: number;
  /** isolation.level=read_committed: read up to the last stable offset, without aborted transactions. */
  readonly readCommitted?: boolean;
}

/** A reader's settings from parsed consumer properties (auto.offset.reset as given unless overridden). */
export function partitionReaderSettings(
  settings: ConsumerSettings, autoOffsetReset: PartitionReaderSettings['autoOffsetReset'] = settings.autoOffsetReset,
): PartitionReaderSettings {
  return {
    autoOffsetReset,
    fetchMinBytes: settings.fetchMinBytes,
    fetchMaxBytes: settings.fetchMaxBytes,
    maxPartitionFetchBytes: settings.maxPartitionFetchBytes,
    fetchMaxWaitMs: settings.fetchMaxWaitMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    maxPollRecords: settings.maxPollRecords,
    readCommitted: settings.readCommitted,
  };
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  generation: number;
  /** The next offset poll returns; undefined until the start offset is resolved. */
  position: number | undefined;
  /** The next offset to fetch. */
  fetchPosition: number;
  /** Set while the fetch position must be looked up with ListOffsets. */
  reset: 'earliest' | 'latest' | undefined;
  /** -1 while unknown. */
  leader: number;
  status: 'ready' | 'waiting' | 'parked';
  fetching: boolean;
  /** Chunks of this generation still in the buffer. */
  chunks: number;
}

interface Chunk {
  readonly state: PartitionState;
  readonly generation: number;
  /** The records still to hand out, decoded as they are taken; null for a reset marker. */
  readonly cursor: FetchedRecordCursor | null;
  /** Where the partition's position goes once the chunk is drained. */
  readonly nextOffset: number;
  /** Bytes still counted as buffered. */
  bytes: number;
  /** The partition's high watermark in the response the chunk came from (-1 for a reset marker). */
  readonly highWatermark: number;
}

/** What takeBatch hands out: records of one partition, in offset order. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: ClusterRecord[];
  readonly highWatermark: number;
}

interface Fetching {
  readonly state: PartitionState;
  readonly generation: number;
  readonly offset: number;
}

const EARLIEST = -2;
const LATEST = -1;
const OFFSET_OUT_OF_RANGE = 1;
const LANE = 'fetch';

export class WirePartitionReader implements PartitionReader {
  readonly #cluster: WireCluster;
  readonly #settings: PartitionReaderSettings;
  readonly #logger: Logger;
  readonly #ownsCluster: boolean;
  readonly #partitions = new Map<string, PartitionState>();
  /** A loop that fails unexpectedly parks its partitions for the maintenance task, like a failed Fetch. */
  readonly #loops = new NodeLoops((error, node) => this.#loopFailed(error, node));
  #chunks: Chunk[] = [];
  #head = 0;
  #bufferedBytes = 0;
  /** Sizes of the last responses, for the look-ahead bound. */
  readonly #recentResponseBytes: number[] = [];
  #pollWaiters: (() => void)[] = [];
  #spaceWaiters: (() => void)[] = [];
  readonly #maintenance = new SingleFlight(() => this.#maintain(), (error) => this.#maintenanceFailed(error));
  #wakeMaintenance: (() => void) | undefined;
  #failures = 0;
  #rotation = 0;
  /** One incremental fetch session per broker (fetch-session.ts). */
  readonly #sessions = new Map<number, FetchSession>();
  #outage = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  /** With `ownsCluster`, close() closes the cluster client too. */
  constructor(cluster: WireCluster, settings: PartitionReaderSettings, logger: Logger, options: { ownsCluster?: boolean } = {}) {
    this.#cluster = cluster;
    this.#settings = settings;
    this.#logger = logger;
    this.#ownsCluster = options.ownsCluster ?? false;
  }

  assign(partitions: readonly (ClusterPartition & { readonly offset: StartOffset })[]): void {
    if (this.#closed) throw new Error('partition reader is closed');
    for (const { topic, partition, offset } of partitions) {
      if (typeof offset === 'number' && !(Number.isSafeInteger(offset) && offset >= 0)) {
        throw new RangeError(`invalid start offset ${offset} for ${topic}-${partition}`);
      }
      const key = keyOf(topic, partition);
      const existing = this.#partitions.get(key);
      if (existing) this.#drop(existing);
      const explicit = typeof offset === 'number';
      this.#partitions.set(key, {
        topic,
        partition,
        generation: (existing?.generation ?? 0) + 1,
        position: explicit ? offset : undefined,
        fetchPosition: explicit ? offset : 0,
        reset: explicit ? undefined : offset,
        leader: -1,
        status: 'waiting',
        fetching: false,
        chunks: 0,
      });
    }
    if (!this.#closed) this.#maintenance.request();
  }

  unassign(partitions: readonly ClusterPartition[]): void {
    for (const { topic, partition } of partitions) {
      const key = keyOf(topic, partition);
      const state = this.#partitions.get(key);
      if (!state) continue;
      this.#partitions.delete(key);
      this.#drop(state);
    }
    this.#wakeFetchers();
  }

  assignment(): ClusterPartition[] {
    return [...this.#partitions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  position(partition: ClusterPartition): number | undefined {
    return this.#partitions.get(keyOf(partition.topic, partition.partition))?.position;
  }

  async poll(options: { readonly maxWaitMs: number; readonly maxRecords?: number; readonly signal?: AbortSignal }): Promise<ClusterRecord[]> {
    const limit = Math.max(1, options.maxRecords ?? this.#settings.maxPollRecords);
    const ready = this.#take(limit);
    // A closed reader still waits out maxWaitMs: returning at once would turn a caller's poll
    // loop that has not noticed the close into a busy loop that starves every timer.
    if (ready.length > 0 || options.signal?.aborted || options.maxWaitMs <= 0) return ready;
    await this.waitForRecords(options);
    return this.#take(limit);
  }

  /**
   * Up to `limit` buffered records of one partition (the oldest chunk's), moving its position
   * past them, with the high watermark the broker reported with them; undefined when nothing is
   * buffered. Synchronous, so a caller can check its own state and hand the records on in the
   * same tick.
   */
  takeBatch(limit: number): PartitionBatch | undefined {
    for (;;) {
      const chunk = this.#chunks[this.#head];
      if (chunk === undefined) return undefined;
      if (chunk.generation !== chunk.state.generation) {
        this.#spend();
        continue;
      }
      const records: ClusterRecord[] = [];
      this.#drain(chunk, Math.max(1, limit), records);
      if (records.length > 0) {
        this.#afterTake();
        return { topic: chunk.state.topic, partition: chunk.state.partition, records, highWatermark: chunk.highWatermark };
      }
    }
  }

  /** Resolves once records are buffered, after `maxWaitMs`, or when `signal` aborts. */
  async waitForRecords(options: { readonly maxWaitMs: number; readonly signal?: AbortSignal }): Promise<void> {
    if (this.#hasRecords() || options.signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        this.#pollWaiters = this.#pollWaiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, options.maxWaitMs);
      options.signal?.addEventListener('abort', done, { once: true });
      this.#pollWaiters.push(done);
    });
  }

  #hasRecords(): boolean {
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i]!;
      if (chunk.generation === chunk.state.generation && chunk.cursor?.hasMore() === true) return true;
    }
    return false;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    for (const state of this.#partitions.values()) state.generation++;
    this.#partitions.clear();
    this.#chunks = [];
    this.#head = 0;
    this.#bufferedBytes = 0;
    for (const wake of this.#pollWaiters.splice(0)) wake();
    this.#wakeFetchers();
    this.#wakeMaintenance?.();
    if (this.#ownsCluster) await this.#cluster.close();
    else this.#cluster.closeLane(LANE);
    await Promise.allSettled([this.#loops.settled(), this.#maintenance.running]);
  }

  /** Forgets the buffered records of a partition being reassigned or unassigned. */
  #drop(state: PartitionState): void {
    state.generation++;
    state.fetching = false;
    if (state.chunks === 0) return;
    state.chunks = 0;
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i]!;
      if (chunk.state !== state) continue;
      this.#bufferedBytes -= chunk.bytes;
      chunk.bytes = 0;
    }
  }

  /** Hands out up to `limit` buffered records, moving positions past them. */
  #take(limit: number): ClusterRecord[] {
    const out: ClusterRecord[] = [];
    while (this.#head < this.#chunks.length && out.length < limit) {
      const chunk = this.#chunks[this.#head]!;
      if (chunk.generation !== chunk.state.generation) {
        this.#spend();
        continue;
      }
      this.#drain(chunk, limit - out.length, out);
    }
    this.#afterTake();
    return out;
  }

  /**
   * Decodes up to `limit` records of the head chunk into `out`, moving its partition's position
   * past them; a drained chunk is spent. A record that does not decode parks the partition
   * (it is fetched again from its position, as after a failed Fetch).
   */
  #drain(chunk: Chunk, limit: number, out: ClusterRecord[]): void {
    const state = chunk.state;
    const cursor = chunk.cursor;
    if (cursor !== null) {
      const before = out.length;
      try {
        cursor.take(limit, out);
      } catch (error) {
        out.length = before;
        this.#finish(chunk);
        state.fetchPosition = state.position ?? state.fetchPosition;
        this.#drop(state);
        this.#park([state], error);
        return;
      }
      if (out.length > before) state.position = out[out.length - 1]!.offset + 1;
      this.#bufferedBytes -= chunk.bytes - cursor.remainingBytes;
      chunk.bytes = cursor.remainingBytes;
      if (cursor.hasMore()) return;
    }
    this.#finish(chunk);
    state.position = chunk.nextOffset;
  }

  /** The head chunk is drained (or dropped): its bytes no longer count and the queue moves on. */
  #finish(chunk: Chunk): void {
    this.#bufferedBytes -= chunk.bytes;
    chunk.bytes = 0;
    chunk.state.chunks--;
    this.#spend();
  }

  /** Compacts the queue and lets the fetch loops go on once there is room. */
  #afterTake(): void {
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
    if (this.#bufferedBytes < this.#aheadLimit()) this.#wakeFetchers();
  }

  /**
   * Moves past the head chunk and lets go of it: a reader handing out fewer records than a
   * response holds rarely empties the queue, and the spent chunks before the head would keep
   * every record they held (and their response buffers) alive until the next compaction.
   */
  #spend(): void {
    this.#chunks[this.#head++] = SPENT_CHUNK;
  }

  #push(chunk: Chunk): void {
    this.#chunks.push(chunk);
    chunk.state.chunks++;
    this.#bufferedBytes += chunk.bytes;
  }

  #wakePollers(): void {
    for (const wake of this.#pollWaiters.splice(0)) wake();
  }

  #wakeFetchers(): void {
    for (const wake of this.#spaceWaiters.splice(0)) wake();
  }

  #ensureLoops(): void {
    if (this.#closed) return;
    for (const state of this.#partitions.values()) {
      if (state.status !== 'ready' || state.fetching) continue;
      this.#loops.start(state.leader, (node) => this.#fetchLoop(node), () => this.#ensureLoops());
    }
  }

  async #fetchLoop(node: number): Promise<void> {
    const s = this.#settings;
    while (!this.#closed) {
      if (this.#bufferedBytes >= this.#aheadLimit()) {
        await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
        continue;
      }
      const eligible: PartitionState[] = [];
      for (const state of this.#partitions.values()) {
        if (state.status === 'ready' && state.leader === node && !state.fetching) eligible.push(state);
      }
      if (eligible.length === 0) return;
      // The broker fills a response in request order up to fetch.max.bytes: start each Fetch
      // one partition further on, so no partition waits behind busier ones for long.
      const first = this.#rotation++ % eligible.length;
      const fetching = new Map<string, Fetching>();
      const wanted: FetchPartition[] = [];
      for (let i = 0; i < eligible.length; i++) {
        const state = eligible[(first + i) % eligible.length]!;
        state.fetching = true;
        fetching.set(keyOf(state.topic, state.partition), { state, generation: state.generation, offset: state.fetchPosition });
        wanted.push({ topic: state.topic, partition: state.partition, fetchOffset: state.fetchPosition, partitionMaxBytes: s.maxPartitionFetchBytes });
      }
      let session = this.#sessions.get(node);
      if (!session) this.#sessions.set(node, session = new FetchSession());
      try {
        const connection = await this.#cluster.nodeConnection(node, LANE);
        const response = await connection.send(Fetch, {
          replicaId: -1,
          maxWaitMs: s.fetchMaxWaitMs,
          minBytes: s.fetchMinBytes,
          maxBytes: Math.max(1, s.fetchMaxBytes - this.#bufferedBytes),
          isolationLevel: s.readCommitted === true ? 1 : 0,
          ...session.request(wanted, connection.versionFor(Fetch) >= FETCH_SESSIONS_SINCE),
          rackId: '',
        }, { timeoutMs: s.requestTimeoutMs + s.fetchMaxWaitMs });
        if (this.#closed) return;
        if (FETCH_SESSION_ERRORS.has(response.errorCode)) {
          // The broker lost the session (evicted, restarted): ask again with a full request.
          session.reset();
          continue;
        }
        if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `Fetch from broker ${node}`);
        session.answered(response.sessionId);
        this.#onResponse(response.responses, fetching);
      } catch (error) {
        session.reset();
        if (this.#closed) return;
        this.#park([...fetching.values()].filter((f) => f.generation === f.state.generation).map((f) => f.state), error);
        return;
      } finally {
        for (const f of fetching.values()) if (f.generation === f.state.generation) f.state.fetching = false;
      }
    }
  }

  #onResponse(
    responses: readonly {
      topic: string;
      partitions: readonly {
        partitionIndex: number;
        errorCode: number;
        highWatermark: number;
        abortedTransactions: readonly { producerId: number; firstOffset: number }[] | null;
        records: Buffer | null;
      }[];
    }[],
    fetching: ReadonlyMap<string, Fetching>,
  ): void {
    let delivered = false;
    let failed: { states: PartitionState[]; error: unknown } | undefined;
    let responseBytes = 0;
    for (const t of responses) for (const pr of t.partitions) responseBytes += pr.records?.length ?? 0;
    this.#noteResponse(responseBytes);
    for (const t of responses) {
      for (const pr of t.partitions) {
        const f = fetching.get(keyOf(t.topic, pr.partitionIndex));
        if (!f || f.generation !== f.state.generation || f.state.fetchPosition !== f.offset) continue;
        const state = f.state;
        if (pr.errorCode === OFFSET_OUT_OF_RANGE) {
          this.#outOfRange(state);
          continue;
        }
        try {
          if (pr.errorCode !== 0) throw new KafkaError(pr.errorCode, `Fetch ${state.topic}-${state.partition} at offset ${state.fetchPosition}`);
          const cursor = new FetchedRecordCursor(state.topic, state.partition, pr.records, state.fetchPosition, {
            views: true,
            aborted: this.#settings.readCommitted === true ? pr.abortedTransactions : null,
          });
          if (cursor.nextOffset <= state.fetchPosition) continue;
          state.fetchPosition = cursor.nextOffset;
          this.#push({
            state,
            generation: state.generation,
            cursor,
            nextOffset: cursor.nextOffset,
            bytes: pr.records?.length ?? 0,
            highWatermark: pr.highWatermark,
          });
          if (cursor.hasMore()) delivered = true;
        } catch (error) {
          failed ??= { states: [], error };
          failed.states.push(state);
        }
      }
    }
    if (failed) this.#park(failed.states, failed.error);
    else this.#recovered();
    if (delivered) this.#wakePollers();
  }

  #noteResponse(bytes: number): void {
    const recent = this.#recentResponseBytes;
    recent.push(bytes);
    if (recent.length > RECENT_RESPONSES) recent.shift();
  }

  /** Bytes buffered ahead of poll above which no Fetch is sent (see the header). */
  #aheadLimit(): number {
    const s = this.#settings;
    let largest = 0;
    for (const bytes of this.#recentResponseBytes) if (bytes > largest) largest = bytes;
    return Math.min(s.fetchMaxBytes, Math.max(s.maxPartitionFetchBytes, largest));
  }

  #outOfRange(state: PartitionState): void {
    const policy = this.#settings.autoOffsetReset;
    const where = { topic: state.topic, partition: state.partition, offset: state.fetchPosition };
    if (policy === 'none') {
      state.status = 'parked';
      this.#logger.error(where, 'fetch offset is out of range and auto.offset.reset is none; the partition is not read until it is assigned again');
      return;
    }
    this.#logger.info({ ...where, reset: policy }, `fetch offset is out of range; moving to the ${policy} offset (auto.offset.reset)`);
    state.reset = policy;
    state.status = 'waiting';
    if (!this.#closed) this.#maintenance.request();
  }

  /** Partitions that could not be fetched wait for the maintenance task to find their leader again. */
  #park(states: readonly PartitionState[], error: unknown): void {
    for (const state of states) {
      if (state.status !== 'ready') continue;
      state.status = 'waiting';
      state.leader = -1;
    }
    this.#failed(error);
    if (!this.#closed) this.#maintenance.request();
  }

  #loopFailed(error: unknown, node: number): void {
    this.#logger.error({ err: error, broker: node }, 'fetch loop failed unexpectedly; its partitions wait for the maintenance task');
    if (this.#closed) return;
    const states: PartitionState[] = [];
    for (const state of this.#partitions.values()) {
      if (state.leader !== node) continue;
      state.fetching = false;
      states.push(state);
    }
    this.#park(states, error);
  }

  /** The maintenance task failed unexpectedly: it runs again after the back-off. */
  #maintenanceFailed(error: unknown): void {
    this.#logger.error({ err: error }, 'reader maintenance failed unexpectedly; retrying with back-off');
    if (this.#closed) return;
    this.#failed(error);
    this.#maintenance.request();
  }

  #failed(error: unknown): void {
    this.#failures++;
    if (this.#outage) {
      this.#logger.debug({ err: error }, 'reading still fails; retrying');
      return;
    }
    this.#outage = true;
    this.#logger.warn({ err: error }, 'reading from the cluster failed; retrying in the background with back-off');
  }

  /** Ends the outage (and the back-off) once no partition waits for a leader or offset. */
  #recovered(): void {
    if (this.#failures === 0 && !this.#outage) return;
    for (const state of this.#partitions.values()) if (state.status === 'waiting') return;
    this.#failures = 0;
    if (!this.#outage) return;
    this.#outage = false;
    this.#logger.info('reading from the cluster goes on');
  }

  #backoffMs(): number {
    const { backoffMs, maxBackoffMs } = this.#cluster.retry;
    return this.#failures === 0 ? 0 : Math.min(backoffMs * 2 ** Math.min(this.#failures - 1, 20), maxBackoffMs);
  }

  /** Finds leaders and start offsets of waiting partitions, retrying with back-off until none waits (one run at a time). */
  async #maintain(): Promise<void> {
    for (;;) {
      const wait = this.#backoffMs();
      if (wait > 0) await this.#pause(wait);
      this.#maintenance.again = false;
      if (this.#closed) return;
      const waiting = [...this.#partitions.values()].filter((p) => p.status === 'waiting');
      if (waiting.length === 0) return;
      try {
        await this.#findLeaders(waiting);
        await this.#resolveOffsets(waiting.filter((p) => p.status === 'waiting' && p.leader >= 0 && p.reset !== undefined));
        for (const p of waiting) {
          if (p.status === 'waiting' && p.leader >= 0 && p.reset === undefined && this.#partitions.get(keyOf(p.topic, p.partition)) === p) {
            p.status = 'ready';
          }
        }
        this.#ensureLoops();
        if (!waiting.some((p) => p.status === 'waiting' && this.#partitions.get(keyOf(p.topic, p.partition)) === p)) {
          this.#recovered();
          if (!this.#maintenance.again) return;
          continue;
        }
        this.#failed(new Error(`no leader or start offset yet for ${describe(waiting.filter((p) => p.status === 'waiting'))}`));
      } catch (error) {
        if (this.#closed) return;
        this.#failed(error);
      }
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wakeMaintenance === done) this.#wakeMaintenance = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeMaintenance = done;
    });
  }

  async #findLeaders(waiting: readonly PartitionState[]): Promise<void> {
    const topics = [...new Set(waiting.map((p) => p.topic))];
    const infos = await this.#cluster.refreshMetadata(topics);
    for (const p of waiting) {
      if (p.status !== 'waiting') continue;
      const info = infos.find((t) => t.name === p.topic);
      const meta = info && info.errorCode === 0 ? info.partitions.find((m) => m.partition === p.partition) : undefined;
      p.leader = meta && meta.errorCode === 0 ? meta.leader : -1;
    }
  }

  /** ListOffsets at each leader for partitions starting at 'earliest' or 'latest'. */
  async #resolveOffsets(states: readonly PartitionState[]): Promise<void> {
    const byLeader = new Map<number, { state: PartitionState; generation: number }[]>();
    for (const state of states) {
      let list = byLeader.get(state.leader);
      if (!list) byLeader.set(state.leader, list = []);
      list.push({ state, generation: state.generation });
    }
    const failures: unknown[] = [];
    await Promise.all([...byLeader].map(async ([leader, list]) => {
      const byTopic = new Map<string, { partitionIndex: number; timestamp: number }[]>();
      for (const { state } of list) {
        let entries = byTopic.get(state.topic);
        if (!entries) byTopic.set(state.topic, entries = []);
        entries.push({ partitionIndex: state.partition, timestamp: state.reset === 'latest' ? LATEST : EARLIEST });
      }
      try {
        const response = await this.#cluster.sendToNode(leader, ListOffsets, {
          replicaId: -1,
          isolationLevel: 0,
          topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
        });
        for (const t of response.topics) {
          for (const pr of t.partitions) {
            const entry = list.find((e) => e.state.topic === t.name && e.state.partition === pr.partitionIndex);
            if (!entry || entry.generation !== entry.state.generation || entry.state.status !== 'waiting') continue;
            const state = entry.state;
            if (pr.errorCode !== 0) {
              const error = new KafkaError(pr.errorCode, `ListOffsets ${state.topic}-${state.partition}`);
              if (error.staleMetadata) state.leader = -1;
              failures.push(error);
              continue;
            }
            this.#startAt(state, pr.offset);
          }
        }
      } catch (error) {
        for (const { state } of list) state.leader = -1;
        failures.push(error);
      }
    }));
    if (failures.length > 0) throw failures[0];
  }

  /** The fetch position was looked up; poll reaches it after the records buffered before it. */
  #startAt(state: PartitionState, offset: number): void {
    state.reset = undefined;
    state.fetchPosition = offset;
    if (state.position === undefined || state.chunks === 0) {
      state.position = offset;
      return;
    }
    this.#push({ state, generation: state.generation, cursor: null, nextOffset: offset, bytes: 0, highWatermark: -1 });
  }
}

/** What a spent queue slot holds: a chunk of no partition, with no records. */
const SPENT_CHUNK: Chunk = {
  state: {
    topic: '', partition: -1, generation: 0, position: undefined, fetchPosition: 0, reset: undefined, leader: -1, status: 'parked', fetching: false, chunks: 0,
  },
  generation: -1,
  cursor: null,
  nextOffset: 0,
  bytes: 0,
  highWatermark: -1,
};

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function describe(states: readonly PartitionState[]): string {
  const names = states.slice(0, 5).map((s) => `${s.topic}-${s.partition}`);
  return states.length > 5 ? `${names.join(', ')} and ${states.length - 5} more` : names.join(', ');
}
