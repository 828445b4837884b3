import { describe, expect, it } from 'vitest';
import {
  decodeAssignment,
  decodeMemberMetadata,
  encodeAssignment,
  encodeMemberMetadata,
  type ConnectAssignment,
} from '../../../../runtime/control/distributed/connect-protocol.js';
import { EMPTY_WORK } from '../../../../runtime/control/distributed/work-set.js';

const hex = (...parts: string[]) => Buffer.from(parts.join('').replace(/\s+/g, ''), 'hex');
const str = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const URL_HEX = `000d ${str('http://a:8083')}`;

// A V2 assignment: connector c (instance and tasks 0, 1) gained, task d/4 revoked, delay 1500.
const ASSIGNMENT_V2 = hex(
  '0002', // version
  '0000', // error
  `0002 ${str('m1')}`, // leader
  URL_HEX, // leader-url
  '0000000000000007', // config-offset
  '00000001', `0001 ${str('c')}`, '00000003 ffffffff 00000000 00000001', // assignment
  '00000001', `0001 ${str('d')}`, '00000001 00000004', // revoked
  '000005dc', // delay
);

const assignmentV2: ConnectAssignment = {
  version: 2,
  error: 0,
  leader: 'm1',
  leaderUrl: 'http://a:8083',
  configOffset: 7,
  assigned: { connectors: ['c'], tasks: [{ connector: 'c', task: 0 }, { connector: 'c', task: 1 }] },
  revoked: { connectors: [], tasks: [{ connector: 'd', task: 4 }] },
  delay: 1500,
};

describe('connect protocol codec', () => {
  it('encodes an incremental assignment in Kafka Connect\'s layout, the connector instance as task -1', () => {
    expect(encodeAssignment(assignmentV2).toString('hex')).toBe(ASSIGNMENT_V2.toString('hex'));
    expect(decodeAssignment(ASSIGNMENT_V2)).toEqual(assignmentV2);
  });

  it('encodes V0 (eager) assignments without revoked and delay', () => {
    const v0: ConnectAssignment = { ...assignmentV2, version: 0, revoked: EMPTY_WORK, delay: 0 };
    const bytes = hex('0000', '0000', `0002 ${str('m1')}`, URL_HEX, '0000000000000007',
      '00000001', `0001 ${str('c')}`, '00000003 ffffffff 00000000 00000001');
    expect(encodeAssignment(v0).toString('hex')).toBe(bytes.toString('hex'));
    expect(decodeAssignment(bytes)).toEqual(v0);
  });

  it('encodes member metadata with the current allocation as a nested assignment', () => {
    const allocation: ConnectAssignment = { ...assignmentV2, revoked: EMPTY_WORK, delay: 0 };
    const inner = hex('0002', '0000', `0002 ${str('m1')}`, URL_HEX, '0000000000000007',
      '00000001', `0001 ${str('c')}`, '00000003 ffffffff 00000000 00000001', '00000000', '00000000');
    const bytes = hex('0002', URL_HEX, '000000000000002a', inner.length.toString(16).padStart(8, '0'), inner.toString('hex'));
    const metadata = { version: 2, url: 'http://a:8083', configOffset: 42, allocation };
    expect(encodeMemberMetadata(metadata).toString('hex')).toBe(bytes.toString('hex'));
    expect(decodeMemberMetadata(bytes)).toEqual(metadata);
  });

  it('writes a null allocation for a member that runs nothing, and none at all in V0 metadata', () => {
    const v1 = hex('0001', URL_HEX, '0000000000000000', 'ffffffff');
    expect(encodeMemberMetadata({ version: 1, url: 'http://a:8083', configOffset: 0, allocation: null })).toEqual(v1);
    expect(decodeMemberMetadata(v1)).toEqual({ version: 1, url: 'http://a:8083', configOffset: 0, allocation: null });
    const v0 = hex('0000', URL_HEX, '0000000000000003');
    expect(encodeMemberMetadata({ version: 0, url: 'http://a:8083', configOffset: 3, allocation: null })).toEqual(v0);
    expect(decodeMemberMetadata(v0).allocation).toBeNull();
  });

  it('reads payloads leniently like Kafka: missing trailing fields default, null arrays are empty, newer versions and extra bytes are tolerated', () => {
    const truncated = hex('0001', '0000', `0002 ${str('m1')}`, URL_HEX, '0000000000000001', 'ffffffff');
    expect(decodeAssignment(truncated)).toMatchObject({ version: 1, assigned: EMPTY_WORK, revoked: EMPTY_WORK, delay: 0 });
    const future = Buffer.concat([hex('0003'), ASSIGNMENT_V2.subarray(2), hex('cafebabe')]);
    expect(decodeAssignment(future)).toEqual({ ...assignmentV2, version: 3 });
    expect(decodeMemberMetadata(hex('0001', URL_HEX, '0000000000000005')).allocation).toBeNull();
    expect(() => decodeAssignment(Buffer.alloc(0))).toThrow();
  });
});
