/**
 * The "consumer" embedded group protocol: round trips of every version, byte-exact v0 fixtures
 * written by hand from Kafka's message definitions, newer versions and truncated input, and a
 * cross-check against kafka-python (Debian's python3-kafka), a client nobody here wrote.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type ConsumerAssignment,
  type ConsumerSubscription,
} from '../../../../runtime/kafka/wire/consumer-protocol.js';

const PYTHON = '/usr/bin/python3';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

function subscription(version: number): ConsumerSubscription {
  return {
    version,
    topics: ['orders', 'päyments'],
    userData: Buffer.from([1, 2, 3]),
    ownedPartitions: version >= 1 ? [{ topic: 'orders', partitions: [0, 2] }, { topic: 'päyments', partitions: [] }] : [],
    generationId: version >= 2 ? 17 : -1,
    rackId: version >= 3 ? 'rack-a' : null,
  };
}

describe('consumer protocol subscription', () => {
  it('uses protocol type "consumer"', () => {
    expect(CONSUMER_PROTOCOL_TYPE).toBe('consumer');
  });

  it.each([0, 1, 2, 3])('round-trips version %i', (version) => {
    const s = subscription(version);
    const bytes = encodeSubscription(s);
    expect(bytes.readInt16BE(0)).toBe(version);
    expect(decodeSubscription(bytes)).toEqual(s);
  });

  it('round-trips null user data and a null rack, and empty lists', () => {
    const s: ConsumerSubscription = { version: 3, topics: [], userData: null, ownedPartitions: [], generationId: 4, rackId: null };
    expect(decodeSubscription(encodeSubscription(s))).toEqual(s);
    const empty = { ...s, userData: Buffer.alloc(0) };
    expect(decodeSubscription(encodeSubscription(empty)).userData).toEqual(Buffer.alloc(0));
  });

  it('encodes v0 byte for byte as the spec lays it out', () => {
    const bytes = encodeSubscription({
      version: 0, topics: ['ab', 'c'], userData: Buffer.from([0xde, 0xad]),
      // Later-version fields must not be written at v0.
      ownedPartitions: [{ topic: 'x', partitions: [1] }], generationId: 9, rackId: 'r',
    });
    expect(bytes.toString('hex')).toBe(hex(`
      0000
      00000002  0002 6162  0001 63
      00000002  dead
    `).toString('hex'));
  });

  it('encodes v0 null user data as length -1', () => {
    const bytes = encodeSubscription({ version: 0, topics: ['t'], userData: null, ownedPartitions: [], generationId: -1, rackId: null });
    expect(bytes).toEqual(hex('0000 00000001 0001 74 ffffffff'));
  });

  it('decodes a hand-written v3 fixture and gives lower versions the defaults', () => {
    const v3 = hex(`
      0003
      00000001 0001 74
      ffffffff
      00000001 0001 74 00000002 00000000 00000005
      0000002a
      0002 7231
    `);
    expect(decodeSubscription(v3)).toEqual({
      version: 3, topics: ['t'], userData: null,
      ownedPartitions: [{ topic: 't', partitions: [0, 5] }], generationId: 42, rackId: 'r1',
    });
    expect(decodeSubscription(hex('0000 00000001 0001 74 00000000'))).toEqual({
      version: 0, topics: ['t'], userData: Buffer.alloc(0), ownedPartitions: [], generationId: -1, rackId: null,
    });
  });

  it('reads a version above 3 as version 3 and ignores trailing bytes', () => {
    const v3 = encodeSubscription(subscription(3));
    const future = Buffer.concat([v3, hex('0000000700 ff')]);
    future.writeInt16BE(7, 0);
    expect(decodeSubscription(future)).toEqual(subscription(3));
    // Trailing bytes after a known version are ignored as well.
    expect(decodeSubscription(Buffer.concat([encodeSubscription(subscription(1)), hex('00000001')]))).toEqual(subscription(1));
  });

  it('refuses to encode unknown versions', () => {
    expect(() => encodeSubscription({ ...subscription(3), version: 4 })).toThrow(/version 4/);
    expect(() => encodeSubscription({ ...subscription(0), version: -1 })).toThrow(/version -1/);
  });

  it('throws an error naming the truncated field on every truncation', () => {
    const full = encodeSubscription(subscription(3));
    for (let len = 0; len < full.length; len++) {
      expect(() => decodeSubscription(full.subarray(0, len)), `length ${len}`).toThrow(/consumer protocol subscription truncated at /);
    }
    expect(() => decodeSubscription(full.subarray(0, 1))).toThrow(/truncated at version/);
    expect(() => decodeSubscription(hex('0000 00000002 0001 74'))).toThrow(/truncated at topics\[1\]/);
    // A count larger than the bytes left cannot be complete.
    expect(() => decodeSubscription(hex('0000 00000009 0001 74'))).toThrow(/truncated at topics count/);
    expect(() => decodeSubscription(hex('0000 00000001 0005 7474'))).toThrow(/truncated at topics\[0\]/);
    expect(() => decodeSubscription(hex('0002 00000000 ffffffff 00000000 0000'))).toThrow(/truncated at generationId/);
    expect(() => decodeSubscription(hex('0003 00000000 ffffffff 00000000 00000001 0003 72'))).toThrow(/truncated at rackId/);
  });

  it('rejects a negative version and null arrays as malformed', () => {
    expect(() => decodeSubscription(hex('ffff 00000000 ffffffff'))).toThrow(/subscription malformed at version/);
    expect(() => decodeSubscription(hex('0000 ffffffff ffffffff'))).toThrow(/subscription malformed at topics count/);
  });

  it('copies user data out of the input', () => {
    const bytes = encodeSubscription(subscription(0));
    const decoded = decodeSubscription(bytes);
    bytes.fill(0);
    expect(decoded.userData).toEqual(Buffer.from([1, 2, 3]));
  });
});

describe('consumer protocol assignment', () => {
  const assignment = (version: number): ConsumerAssignment => ({
    version,
    partitions: [{ topic: 'a', partitions: [0, 1, 2] }, { topic: 'b', partitions: [7] }],
    userData: version % 2 === 0 ? null : Buffer.from('ud'),
  });

  it.each([0, 1, 2, 3])('round-trips version %i', (version) => {
    const a = assignment(version);
    const bytes = encodeAssignment(a);
    expect(bytes.readInt16BE(0)).toBe(version);
    expect(decodeAssignment(bytes)).toEqual(a);
  });

  it('encodes v0 byte for byte as the spec lays it out', () => {
    const bytes = encodeAssignment({
      version: 0,
      partitions: [{ topic: 't0', partitions: [0, 1] }, { topic: 't1', partitions: [] }],
      userData: null,
    });
    expect(bytes.toString('hex')).toBe(hex(`
      0000
      00000002
        0002 7430  00000002 00000000 00000001
        0002 7431  00000000
      ffffffff
    `).toString('hex'));
    expect(decodeAssignment(bytes)).toEqual({
      version: 0, partitions: [{ topic: 't0', partitions: [0, 1] }, { topic: 't1', partitions: [] }], userData: null,
    });
  });

  it('decodes a zero-length buffer as the empty assignment', () => {
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({ version: 0, partitions: [], userData: null });
  });

  it('reads a version above 3 as version 3 and ignores trailing bytes', () => {
    const bytes = Buffer.concat([encodeAssignment(assignment(3)), hex('cafebabe')]);
    bytes.writeInt16BE(12, 0);
    expect(decodeAssignment(bytes)).toEqual(assignment(3));
  });

  it('throws an error naming the truncated field on every truncation', () => {
    const full = encodeAssignment(assignment(1));
    for (let len = 1; len < full.length; len++) {
      expect(() => decodeAssignment(full.subarray(0, len)), `length ${len}`).toThrow(/consumer protocol assignment truncated at /);
    }
    expect(() => decodeAssignment(hex('0000 00000001 0001 61 00000002 00000000'))).toThrow(/truncated at partitions\[0\]\.partitions\[1\]/);
    expect(() => decodeAssignment(hex('0000 00000001 0001 61 0000'))).toThrow(/truncated at partitions\[0\]\.partitions count/);
    expect(() => decodeAssignment(hex('0000 00000001 0001 61 00000001 000000'))).toThrow(/truncated at partitions\[0\]\.partitions\[0\]/);
    expect(() => decodeAssignment(hex('0000 00000000 00000004 00'))).toThrow(/truncated at userData/);
  });
});

/** Runs kafka-python's ConsumerProtocol structs over a list of jobs; one JSON result per job. */
function kafkaPython(jobs: unknown[]): unknown[] {
  const script = `
import json, sys
from kafka.coordinator.protocol import ConsumerProtocolMemberMetadata as M, ConsumerProtocolMemberAssignment as A
def ud(h): return None if h is None else bytes.fromhex(h)
def uh(b): return None if b is None else b.hex()
out = []
for job in json.load(sys.stdin):
    op = job['op']
    if op == 'encodeSubscription':
        m = M(job['version'], job['topics'], ud(job['userData']))  # kept: encode() holds it weakly
        out.append(m.encode().hex())
    elif op == 'encodeAssignment':
        a = A(job['version'], [(t, p) for t, p in job['partitions']], ud(job['userData']))
        out.append(a.encode().hex())
    elif op == 'decodeSubscription':
        m = M.decode(bytes.fromhex(job['hex']))
        out.append({'version': m.version, 'topics': list(m.subscription), 'userData': uh(m.user_data)})
    elif op == 'decodeAssignment':
        a = A.decode(bytes.fromhex(job['hex']))
        out.append({'version': a.version, 'partitions': [[t, list(p)] for t, p in a.assignment], 'userData': uh(a.user_data)})
print(json.dumps(out))
`;
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(jobs), encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`kafka-python exited ${result.status} (install Debian's python3-kafka, see scripts/test.sh):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as unknown[];
}

describe('against kafka-python', () => {
  const subs = [
    { topics: ['orders', 'päyments'], userData: '010203' },
    { topics: ['t'], userData: null },
    { topics: [], userData: '' },
  ];
  const assigns = [
    { partitions: [['a', [0, 1, 2]], ['b', [7]]] as [string, number[]][], userData: null },
    { partitions: [['t', []]] as [string, number[]][], userData: 'beef' },
    { partitions: [] as [string, number[]][], userData: '' },
  ];
  const nullable = (h: string | null) => (h === null ? null : Buffer.from(h, 'hex'));

  it('v0 subscriptions and assignments encode to the same bytes and decode both ways', () => {
    const results = kafkaPython([
      ...subs.map((s) => ({ op: 'encodeSubscription', version: 0, ...s })),
      ...assigns.map((a) => ({ op: 'encodeAssignment', version: 0, ...a })),
    ]) as string[];
    subs.forEach((s, i) => {
      const mine = encodeSubscription({ version: 0, topics: s.topics, userData: nullable(s.userData), ownedPartitions: [], generationId: -1, rackId: null });
      expect(mine.toString('hex'), `subscription ${i}`).toBe(results[i]);
      expect(decodeSubscription(Buffer.from(results[i]!, 'hex'))).toEqual({
        version: 0, topics: s.topics, userData: nullable(s.userData), ownedPartitions: [], generationId: -1, rackId: null,
      });
    });
    assigns.forEach((a, i) => {
      const j = subs.length + i;
      const partitions = a.partitions.map(([topic, ps]) => ({ topic, partitions: ps }));
      const mine = encodeAssignment({ version: 0, partitions, userData: nullable(a.userData) });
      expect(mine.toString('hex'), `assignment ${i}`).toBe(results[j]);
      expect(decodeAssignment(Buffer.from(results[j]!, 'hex'))).toEqual({ version: 0, partitions, userData: nullable(a.userData) });
    });
  });

  it('kafka-python decodes what we encode, the v0 prefix of every version included', () => {
    const jobs: unknown[] = [];
    for (const version of [0, 1, 2, 3]) {
      jobs.push({ op: 'decodeSubscription', hex: encodeSubscription({
        version, topics: ['orders', 'päyments'], userData: Buffer.from([9]),
        ownedPartitions: version >= 1 ? [{ topic: 'orders', partitions: [3] }] : [], generationId: 5, rackId: version >= 3 ? 'r' : null,
      }).toString('hex') });
      jobs.push({ op: 'decodeAssignment', hex: encodeAssignment({
        version, partitions: [{ topic: 'orders', partitions: [0, 4] }], userData: null,
      }).toString('hex') });
    }
    const results = kafkaPython(jobs);
    for (const version of [0, 1, 2, 3]) {
      expect(results[version * 2]).toEqual({ version, topics: ['orders', 'päyments'], userData: '09' });
      expect(results[version * 2 + 1]).toEqual({ version, partitions: [['orders', [0, 4]]], userData: null });
    }
  });
});
