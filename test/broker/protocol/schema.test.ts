import { describe, expect, it } from 'vitest';
import { Reader } from '../../../broker/protocol/reader.js';
import { Writer } from '../../../broker/protocol/writer.js';
import { ApiVersions } from '../../../broker/protocol/apis/api-versions.js';
import { Metadata } from '../../../broker/protocol/apis/metadata.js';

describe('message schema codec', () => {
  it('encodes ApiVersions v0 in the classic layout Kafka clients expect', () => {
    const bytes = ApiVersions.response.encode(new Writer(), 0, {
      errorCode: 35,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
    }).toBuffer();
    expect(bytes.toString('hex')).toBe('0023' + '00000001' + '0012' + '0000' + '0003');
  });

  it('round-trips a flexible ApiVersions v3 response and skips unknown tags', () => {
    const w = ApiVersions.response.encode(new Writer(), 3, {
      apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 8 }],
      finalizedFeaturesEpoch: 7,
    });
    const decoded = ApiVersions.response.decode(new Reader(w.toBuffer()), 3);
    expect(decoded.apiKeys).toEqual([{ apiKey: 0, minVersion: 0, maxVersion: 8 }]);
    expect(decoded.finalizedFeaturesEpoch).toBe(7);
    expect(decoded.zkMigrationReady).toBe(false);
  });

  it('keeps null and empty topic lists apart from Metadata v1 on', () => {
    for (const version of [1, 4, 9]) {
      const nullList = Metadata.request.encode(new Writer(), version, { topics: null }).toBuffer();
      const emptyList = Metadata.request.encode(new Writer(), version, { topics: [] }).toBuffer();
      expect(Metadata.request.decode(new Reader(nullList), version).topics).toBeNull();
      expect(Metadata.request.decode(new Reader(emptyList), version).topics).toEqual([]);
    }
  });

  it('fills fields a version lacks with their declared defaults', () => {
    const bytes = Metadata.request.encode(new Writer(), 2, { topics: [{ name: 'a' }] }).toBuffer();
    const req = Metadata.request.decode(new Reader(bytes), 2);
    expect(req.allowAutoTopicCreation).toBe(true);
    expect(req.topics).toEqual([{ name: 'a', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }]);
  });

  it('rejects a truncated frame with a ProtocolError', () => {
    const bytes = Metadata.request.encode(new Writer(), 9, { topics: [{ name: 'topic' }] }).toBuffer();
    expect(() => Metadata.request.decode(new Reader(bytes.subarray(0, 4)), 9)).toThrow(/frame ends early/);
  });

  it('writes int64 values exactly across the sign boundary', () => {
    for (const v of [0, -1, 1, 2 ** 40 + 5, -(2 ** 40) - 5, Number.MAX_SAFE_INTEGER]) {
      const buf = new Writer().int64(v).toBuffer();
      expect(buf.readBigInt64BE(0)).toBe(BigInt(v));
      expect(new Reader(buf).int64()).toBe(v);
    }
  });
});
