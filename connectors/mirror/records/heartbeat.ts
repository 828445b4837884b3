/**
 * MirrorMaker's heartbeat record, byte for byte (reference §6.4): key = sourceClusterAlias STRING,
 * targetClusterAlias STRING; value = version INT16 (0), timestamp INT64 epoch ms.
 */
import { int16, int64, readVersion0, str, StructReader, writeStruct } from './struct-bytes.js';

export interface Heartbeat {
  readonly sourceClusterAlias: string;
  readonly targetClusterAlias: string;
  readonly timestamp: number;
}

export function encodeHeartbeat(h: Heartbeat): { key: Buffer; value: Buffer } {
  return {
    key: writeStruct('Heartbeat key', [['sourceClusterAlias', str(h.sourceClusterAlias)], ['targetClusterAlias', str(h.targetClusterAlias)]]),
    value: writeStruct('Heartbeat value', [['version', int16(0)], ['timestamp', int64(h.timestamp)]]),
  };
}

export function decodeHeartbeat(key: Buffer, value: Buffer): Heartbeat {
  const k = new StructReader('Heartbeat key', key);
  const sourceClusterAlias = k.string('sourceClusterAlias');
  const targetClusterAlias = k.string('targetClusterAlias');
  const timestamp = readVersion0('Heartbeat', value).int64('timestamp');
  return { sourceClusterAlias, targetClusterAlias, timestamp };
}
