/**
 * MirrorMaker's checkpoint record, byte for byte (reference §6.4): key = group STRING, topic
 * STRING (the target-side, renamed topic), partition INT32; value = version INT16 (0),
 * upstreamOffset INT64, offset INT64 (the translated downstream offset), metadata STRING.
 */
import { int16, int32, int64, readVersion0, str, StructReader, writeStruct } from './struct-bytes.js';

export interface Checkpoint {
  readonly group: string;
  /** The topic as named on the target cluster. */
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset on the source cluster. */
  readonly upstreamOffset: number;
  /** That offset translated to the target topic. */
  readonly downstreamOffset: number;
  readonly metadata: string;
}

export function encodeCheckpoint(c: Checkpoint): { key: Buffer; value: Buffer } {
  return {
    key: writeStruct('Checkpoint key', [['group', str(c.group)], ['topic', str(c.topic)], ['partition', int32(c.partition)]]),
    value: writeStruct('Checkpoint value', [
      ['version', int16(0)], ['upstreamOffset', int64(c.upstreamOffset)], ['offset', int64(c.downstreamOffset)], ['metadata', str(c.metadata)],
    ]),
  };
}

export function decodeCheckpoint(key: Buffer, value: Buffer): Checkpoint {
  const k = new StructReader('Checkpoint key', key);
  const group = k.string('group');
  const topic = k.string('topic');
  const partition = k.int32('partition');
  const v = readVersion0('Checkpoint', value);
  const upstreamOffset = v.int64('upstreamOffset');
  const downstreamOffset = v.int64('offset');
  const metadata = v.string('metadata');
  return { group, topic, partition, upstreamOffset, downstreamOffset, metadata };
}
