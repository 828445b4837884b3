/**
 * MirrorMaker's offset-sync record, byte for byte (reference §6.4), with no version header: key =
 * topic STRING (the source-side topic), partition INT32; value = upstreamOffset INT64, offset INT64
 * (where the same record landed in the target topic).
 */
import { int32, int64, str, StructReader, writeStruct } from './struct-bytes.js';

export interface OffsetSync {
  /** The topic as named on the source cluster. */
  readonly topic: string;
  readonly partition: number;
  readonly upstreamOffset: number;
  readonly downstreamOffset: number;
}

export function encodeOffsetSync(s: OffsetSync): { key: Buffer; value: Buffer } {
  return {
    key: writeStruct('OffsetSync key', [['topic', str(s.topic)], ['partition', int32(s.partition)]]),
    value: writeStruct('OffsetSync value', [['upstreamOffset', int64(s.upstreamOffset)], ['offset', int64(s.downstreamOffset)]]),
  };
}

export function decodeOffsetSync(key: Buffer, value: Buffer): OffsetSync {
  const k = new StructReader('OffsetSync key', key);
  const topic = k.string('topic');
  const partition = k.int32('partition');
  const v = new StructReader('OffsetSync value', value);
  const upstreamOffset = v.int64('upstreamOffset');
  const downstreamOffset = v.int64('offset');
  return { topic, partition, upstreamOffset, downstreamOffset };
}
