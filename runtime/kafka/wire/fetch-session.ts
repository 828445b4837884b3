/**
 * The client side of an incremental fetch session (KIP-227) with one broker, as Java's
 * FetchSessionHandler keeps it: the first Fetch lists every partition with epoch 0 and asks
 * the broker for a session; while the broker keeps it, each next Fetch names the session and
 * the next epoch and lists only the partitions that are new or whose fetch offset or byte
 * limit changed, plus those to forget. The broker answers with the partitions that have
 * records or changed, so an idle partition costs nothing in either direction.
 *
 * Invariants: `#known` is what the broker holds for the session after the last answered
 * request; a request is built from it and only committed to it by answered(), so a request
 * that failed (connection lost, timeout) leaves the session as the broker may have it and
 * reset() starts over with a full request. A broker that does not create a session (session
 * id 0, or Fetch below v7) gets a full request every time, which is the sessionless fetch.
 */

export interface FetchPartition {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
}

export interface SessionFields {
  readonly sessionId: number;
  readonly sessionEpoch: number;
  readonly topics: { topic: string; partitions: { partition: number; fetchOffset: number; partitionMaxBytes: number }[] }[];
  readonly forgottenTopicsData: { topic: string; partitions: number[] }[];
}

/** Fetch v7 introduced sessions. */
export const FETCH_SESSIONS_SINCE = 7;
/** FETCH_SESSION_ID_NOT_FOUND and INVALID_FETCH_SESSION_EPOCH: the session is gone; start over. */
export const FETCH_SESSION_ERRORS: ReadonlySet<number> = new Set([70, 71]);

const INITIAL_EPOCH = 0;
const SESSIONLESS_EPOCH = -1;
const MAX_EPOCH = 2_147_483_647;

const keyOf = (p: { topic: string; partition: number }) => `${p.topic}\u0000${p.partition}`;

export class FetchSession {
  #id = 0;
  #epoch = INITIAL_EPOCH;
  #known = new Map<string, FetchPartition>();
  #pending: Map<string, FetchPartition> | undefined;

  /** The session fields and partition lists of a Fetch for `wanted`; `sessions` false: sessionless (Fetch below v7). */
  request(wanted: readonly FetchPartition[], sessions: boolean): SessionFields {
    const next = new Map(wanted.map((p) => [keyOf(p), p]));
    if (!sessions) {
      this.#pending = undefined;
      return { sessionId: 0, sessionEpoch: SESSIONLESS_EPOCH, topics: byTopic(wanted), forgottenTopicsData: [] };
    }
    this.#pending = next;
    if (this.#id === 0) return { sessionId: 0, sessionEpoch: INITIAL_EPOCH, topics: byTopic(wanted), forgottenTopicsData: [] };
    const changed = wanted.filter((p) => {
      const known = this.#known.get(keyOf(p));
      return known === undefined || known.fetchOffset !== p.fetchOffset || known.partitionMaxBytes !== p.partitionMaxBytes;
    });
    const forgotten = new Map<string, number[]>();
    for (const [key, p] of this.#known) {
      if (next.has(key)) continue;
      let list = forgotten.get(p.topic);
      if (!list) forgotten.set(p.topic, list = []);
      list.push(p.partition);
    }
    return {
      sessionId: this.#id,
      sessionEpoch: this.#epoch,
      topics: byTopic(changed),
      forgottenTopicsData: [...forgotten].map(([topic, partitions]) => ({ topic, partitions })),
    };
  }

  /** The broker answered the last request without a top-level error, with this session id. */
  answered(sessionId: number): void {
    const sent = this.#pending;
    this.#pending = undefined;
    if (sent === undefined) return;
    if (sessionId === 0) {
      this.reset();
      return;
    }
    this.#id = sessionId;
    this.#epoch = this.#epoch >= MAX_EPOCH || this.#epoch === INITIAL_EPOCH ? 1 : this.#epoch + 1;
    this.#known = sent;
  }

  /** The session is gone or in doubt: the next request is a full one asking for a new session. */
  reset(): void {
    this.#id = 0;
    this.#epoch = INITIAL_EPOCH;
    this.#known = new Map();
    this.#pending = undefined;
  }
}

function byTopic(partitions: readonly FetchPartition[]): SessionFields['topics'] {
  const topics = new Map<string, { partition: number; fetchOffset: number; partitionMaxBytes: number }[]>();
  for (const p of partitions) {
    let list = topics.get(p.topic);
    if (!list) topics.set(p.topic, list = []);
    list.push({ partition: p.partition, fetchOffset: p.fetchOffset, partitionMaxBytes: p.partitionMaxBytes });
  }
  return [...topics].map(([topic, list]) => ({ topic, partitions: list }));
}
