/**
 * Kafka's "consumer" embedded group protocol (protocol type `consumer`): the member metadata a
 * consumer sends in JoinGroup (ConsumerProtocolSubscription) and the assignment the leader
 * hands out through SyncGroup (ConsumerProtocolAssignment), versions 0 to 3.
 *
 * Encoding is Kafka's classic non-flexible one, big-endian: an int16 version, then the fields
 * of that version. Strings are int16-length UTF-8, arrays int32-count, bytes int32-length with
 * -1 for null, nullable strings -1 for null.
 *   Subscription: topics []string, userData nullable bytes, v1+ ownedPartitions
 *                 [](topic string, partitions []int32), v2+ generationId int32,
 *                 v3+ rackId nullable string.
 *   Assignment:   partitions [](topic string, partitions []int32), userData nullable bytes
 *                 (the same layout in every version 0..3).
 *
 * Invariants:
 * - encode writes exactly the fields of the given version (0..3, anything else throws); fields
 *   of later versions are not written, whatever the object holds.
 * - decode reads a version above 3 as version 3 (its known fields; trailing bytes are ignored),
 *   as Java's ConsumerProtocol does, and reports `version` as the version it decoded with (so
 *   at most 3). Fields absent from the decoded version get their defaults: ownedPartitions [],
 *   generationId -1, rackId null. A negative version throws.
 * - decodeAssignment of a zero-length buffer is the empty assignment (version 0, no partitions,
 *   null userData): Java treats a member's empty SyncGroup assignment that way.
 * - Truncated or malformed input throws an Error naming the message and the field being read.
 * - Decoded userData is a copy, so a decoded value never pins the response frame it came from.
 */
import { ProtocolError } from '../../../broker/protocol/protocol-error.js';
import { Reader } from '../../../broker/protocol/reader.js';
import { Writer } from '../../../broker/protocol/writer.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** Highest version of both messages this module knows. */
export const CONSUMER_PROTOCOL_MAX_VERSION = 3;

export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface ConsumerSubscription {
  /** The version decoded with; encode writes this version (0..3). */
  readonly version: number;
  readonly topics: readonly string[];
  readonly userData: Buffer | null;
  /** v1+, [] below. */
  readonly ownedPartitions: readonly TopicPartitions[];
  /** v2+, -1 below. */
  readonly generationId: number;
  /** v3+, null below. */
  readonly rackId: string | null;
}

export interface ConsumerAssignment {
  readonly version: number;
  readonly partitions: readonly TopicPartitions[];
  readonly userData: Buffer | null;
}

export function encodeSubscription(s: ConsumerSubscription): Buffer {
  const version = checkEncodeVersion(s.version, 'subscription');
  const w = new Writer(64);
  w.int16(version);
  w.int32(s.topics.length);
  for (const topic of s.topics) w.string(topic);
  w.nullableBytes(s.userData);
  if (version >= 1) writeTopicPartitions(w, s.ownedPartitions);
  if (version >= 2) w.int32(s.generationId);
  if (version >= 3) w.nullableString(s.rackId);
  return w.toBuffer();
}

export function decodeSubscription(bytes: Buffer): ConsumerSubscription {
  const d = new Decoding('subscription', bytes);
  return d.run(() => {
    const version = d.version();
    d.at = 'topics count';
    const topicCount = d.count();
    const topics: string[] = [];
    for (let i = 0; i < topicCount; i++) {
      d.at = `topics[${i}]`;
      topics.push(d.r.string());
    }
    d.at = 'userData';
    const userData = copyOf(d.r.nullableBytes());
    const ownedPartitions = version >= 1 ? d.topicPartitions('ownedPartitions') : [];
    d.at = 'generationId';
    const generationId = version >= 2 ? d.r.int32() : -1;
    d.at = 'rackId';
    const rackId = version >= 3 ? d.r.nullableString() : null;
    return { version, topics, userData, ownedPartitions, generationId, rackId };
  });
}

export function encodeAssignment(a: ConsumerAssignment): Buffer {
  const version = checkEncodeVersion(a.version, 'assignment');
  const w = new Writer(64);
  w.int16(version);
  writeTopicPartitions(w, a.partitions);
  w.nullableBytes(a.userData);
  return w.toBuffer();
}

export function decodeAssignment(bytes: Buffer): ConsumerAssignment {
  if (bytes.length === 0) return { version: 0, partitions: [], userData: null };
  const d = new Decoding('assignment', bytes);
  return d.run(() => {
    const version = d.version();
    const partitions = d.topicPartitions('partitions');
    d.at = 'userData';
    const userData = copyOf(d.r.nullableBytes());
    return { version, partitions, userData };
  });
}

function checkEncodeVersion(version: number, what: string): number {
  if (!Number.isInteger(version) || version < 0 || version > CONSUMER_PROTOCOL_MAX_VERSION) {
    throw new Error(`cannot encode consumer protocol ${what} version ${version}: supported versions are 0..${CONSUMER_PROTOCOL_MAX_VERSION}`);
  }
  return version;
}

function writeTopicPartitions(w: Writer, list: readonly TopicPartitions[]): void {
  w.int32(list.length);
  for (const tp of list) {
    w.string(tp.topic);
    w.int32(tp.partitions.length);
    for (const p of tp.partitions) w.int32(p);
  }
}

function copyOf(view: Buffer | null): Buffer | null {
  return view === null ? null : Buffer.from(view);
}

/** One decode: the reader plus the name of the field being read, for error messages. */
class Decoding {
  readonly r: Reader;
  at = 'version';

  constructor(private readonly what: string, bytes: Buffer) {
    this.r = new Reader(bytes);
  }

  run<T>(body: () => T): T {
    try {
      return body();
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      const kind = /^frame ends early|^array of \d+ elements in/.test(err.message) ? 'truncated' : 'malformed';
      throw new Error(`consumer protocol ${this.what} ${kind} at ${this.at} (${this.r.buf.length} bytes): ${err.message}`, { cause: err });
    }
  }

  /** The version to decode with: a version above the highest known is read as the highest. */
  version(): number {
    this.at = 'version';
    const version = this.r.int16();
    if (version < 0) throw new ProtocolError(`negative version ${version}`);
    return Math.min(version, CONSUMER_PROTOCOL_MAX_VERSION);
  }

  /** A non-null classic array count that fits in the remaining bytes. */
  count(): number {
    const n = this.r.arrayLength(false);
    if (n < 0) throw new ProtocolError(`null array (count ${n})`);
    return n;
  }

  topicPartitions(field: string): TopicPartitions[] {
    this.at = `${field} count`;
    const n = this.count();
    const out: TopicPartitions[] = [];
    for (let i = 0; i < n; i++) {
      this.at = `${field}[${i}].topic`;
      const topic = this.r.string();
      this.at = `${field}[${i}].partitions count`;
      const count = this.count();
      const partitions: number[] = [];
      for (let j = 0; j < count; j++) {
        this.at = `${field}[${i}].partitions[${j}]`;
        partitions.push(this.r.int32());
      }
      out.push({ topic, partitions });
    }
    return out;
  }
}
