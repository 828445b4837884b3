/**
 * Kafka's `__consumer_offsets` record formats (broker-notes §5.7).
 *
 * Keys start with an int16 key version that selects the schema: 0/1 = OffsetCommitKey
 * (group, topic, partition), 2 = GroupMetadataKey (group). Values start with an int16 value
 * version. We write OffsetCommitKey v1 + OffsetCommitValue v3 and GroupMetadataKey v2 +
 * GroupMetadataValue v3, and read every classic version (values v0-v4; v4 is flexible).
 * Other key versions (KIP-848 consumer groups, share groups) are reported as 'unknown'.
 * A null value is a tombstone.
 */
import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';
import { ProtocolError } from '../protocol/protocol-error.js';

export interface OffsetCommitKey {
  group: string;
  topic: string;
  partition: number;
}

export interface OffsetCommitValue {
  offset: number;
  /** -1 = no leader epoch. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only value v1 carries it; -1 otherwise. */
  expireTimestamp: number;
}

export interface GroupMetadataMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeout: number;
  sessionTimeout: number;
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupMetadataValue {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  /** -1 when unknown (value v0/v1). */
  currentStateTimestamp: number;
  members: GroupMetadataMember[];
}

export type GroupRecord =
  | { type: 'offset'; key: OffsetCommitKey; value: OffsetCommitValue | null }
  | { type: 'group'; group: string; value: GroupMetadataValue | null }
  | { type: 'unknown'; keyVersion: number };

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const OFFSET_COMMIT_VALUE_VERSION = 3;
export const GROUP_METADATA_VALUE_VERSION = 3;

export function encodeOffsetCommitKey(key: OffsetCommitKey): Buffer {
  return new Writer(64)
    .int16(OFFSET_COMMIT_KEY_VERSION)
    .string(key.group)
    .string(key.topic)
    .int32(key.partition)
    .toBuffer();
}

export function encodeOffsetCommitValue(value: OffsetCommitValue): Buffer {
  return new Writer(64)
    .int16(OFFSET_COMMIT_VALUE_VERSION)
    .int64(value.offset)
    .int32(value.leaderEpoch)
    .string(value.metadata)
    .int64(value.commitTimestamp)
    .toBuffer();
}

export function encodeGroupMetadataKey(group: string): Buffer {
  return new Writer(32).int16(GROUP_METADATA_KEY_VERSION).string(group).toBuffer();
}

export function encodeGroupMetadataValue(value: GroupMetadataValue): Buffer {
  const w = new Writer(256)
    .int16(GROUP_METADATA_VALUE_VERSION)
    .string(value.protocolType)
    .int32(value.generation)
    .nullableString(value.protocol)
    .nullableString(value.leader)
    .int64(value.currentStateTimestamp)
    .int32(value.members.length);
  for (const m of value.members) {
    w.string(m.memberId)
      .nullableString(m.groupInstanceId)
      .string(m.clientId)
      .string(m.clientHost)
      .int32(m.rebalanceTimeout)
      .int32(m.sessionTimeout)
      .bytes(m.subscription)
      .bytes(m.assignment);
  }
  return w.toBuffer();
}

/** Decodes one record of the offsets topic. Throws ProtocolError on malformed bytes. */
export function decodeGroupRecord(key: Buffer, value: Buffer | null): GroupRecord {
  const r = new Reader(key);
  const keyVersion = r.int16();
  if (keyVersion === 0 || keyVersion === 1) {
    const k = { group: r.string(), topic: r.string(), partition: r.int32() };
    return { type: 'offset', key: k, value: value === null ? null : decodeOffsetCommitValue(value) };
  }
  if (keyVersion === 2) {
    const group = r.string();
    return { type: 'group', group, value: value === null ? null : decodeGroupMetadataValue(value) };
  }
  return { type: 'unknown', keyVersion };
}

export function decodeOffsetCommitValue(buf: Buffer): OffsetCommitValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 4) throw new ProtocolError(`unknown OffsetCommitValue version ${version}`);
  const flexible = version >= 4;
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = flexible ? r.compactString() : r.string();
  const commitTimestamp = r.int64();
  const expireTimestamp = version === 1 ? r.int64() : -1;
  if (flexible) skipTaggedFields(r);
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

export function decodeGroupMetadataValue(buf: Buffer): GroupMetadataValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 4) throw new ProtocolError(`unknown GroupMetadataValue version ${version}`);
  const flexible = version >= 4;
  const str = (): string => (flexible ? r.compactString() : r.string());
  const nullableStr = (): string | null => (flexible ? r.compactNullableString() : r.nullableString());
  const bytes = (): Buffer => (flexible ? r.compactBytes() : r.bytes());
  const protocolType = str();
  const generation = r.int32();
  const protocol = nullableStr();
  const leader = nullableStr();
  const currentStateTimestamp = version >= 2 ? r.int64() : -1;
  const count = r.arrayLength(flexible);
  const members: GroupMetadataMember[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = str();
    const groupInstanceId = version >= 3 ? nullableStr() : null;
    const clientId = str();
    const clientHost = str();
    const rebalanceTimeout = version >= 1 ? r.int32() : -1;
    const sessionTimeout = r.int32();
    const subscription = Buffer.from(bytes());
    const assignment = Buffer.from(bytes());
    if (flexible) skipTaggedFields(r);
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      rebalanceTimeout: rebalanceTimeout < 0 ? sessionTimeout : rebalanceTimeout,
      sessionTimeout,
      subscription,
      assignment,
    });
  }
  if (flexible) skipTaggedFields(r);
  return { protocolType, generation, protocol, leader, currentStateTimestamp, members };
}

/** Skips a flexible version's tagged-field section (also used by the transaction log's v1 values). */
export function skipTaggedFields(r: Reader): void {
  const n = r.uvarint();
  for (let i = 0; i < n; i++) {
    r.uvarint();
    r.raw(r.uvarint());
  }
}
