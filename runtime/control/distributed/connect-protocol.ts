/**
 * Kafka Connect's group-membership payloads (protocol type `connect`), in Kafka's binary layout
 * (classic, non-flexible encodings: int16-prefixed strings, int32-prefixed arrays and bytes),
 * so a ferry worker could share a group with Java workers.
 *
 * Sub-protocols (JoinGroup protocol names) and the version in each payload's int16 header:
 *   `default`    V0  eager: metadata = url, config-offset; assignment without revoked/delay.
 *   `compatible` V1  incremental cooperative (KIP-415): metadata adds `allocation`, assignment
 *                    adds `revoked` and `delay`.
 *   `sessioned`  V2  V1's layout; workers additionally sign internal REST requests (KIP-507).
 * What a worker offers follows its `connect.protocol`, as in Kafka Connect, most preferred
 * first: `sessioned` offers sessioned, compatible, default; `compatible` offers compatible,
 * default; `eager` offers only default. The coordinator picks a protocol every member offers
 * (the members' most preferred such one), so one `eager` worker makes the whole group rebalance
 * eagerly, and one `compatible` worker turns request signing off for the group.
 *
 * Member metadata (V1/V2): version int16, url string, config-offset int64,
 * allocation nullable bytes. The allocation is the member's current assignment serialized as an
 * assignment payload (its own header included); null when the member runs nothing.
 *
 * Assignment (V1/V2): version int16, error int16, leader string, leader-url string,
 * config-offset int64, assignment nullable [connector string, tasks int32[]],
 * revoked nullable [same], delay int32. Task -1 stands for the connector instance. In the
 * incremental protocols `assignment` lists only what the member gains this round.
 *
 * Decoding is lenient the way Kafka's is: fields missing at the end of a payload take their
 * defaults (null allocation, nothing revoked, delay 0), bytes after the known fields are
 * ignored, and a newer header version is read with the newest layout known here.
 */
import { ProtocolError } from '../../../broker/protocol/protocol-error.js';
import { Reader } from '../../../broker/protocol/reader.js';
import { Writer } from '../../../broker/protocol/writer.js';
import { EMPTY_WORK, type TaskId, type WorkSet } from './work-set.js';

export const CONNECT_PROTOCOL_TYPE = 'connect';

export type ConnectSubProtocol = 'default' | 'compatible' | 'sessioned';

export const SUB_PROTOCOL_VERSION: Readonly<Record<ConnectSubProtocol, number>> = {
  default: 0,
  compatible: 1,
  sessioned: 2,
};

/** The worker setting `connect.protocol`. */
export type ConnectProtocolMode = 'eager' | 'compatible' | 'sessioned';

/** What a worker with `connect.protocol` = mode offers in JoinGroup, most preferred first (Kafka Connect's lists). */
export function offeredSubProtocols(mode: ConnectProtocolMode): readonly ConnectSubProtocol[] {
  switch (mode) {
    case 'eager':
      return ['default'];
    case 'compatible':
      return ['compatible', 'default'];
    case 'sessioned':
      return ['sessioned', 'compatible', 'default'];
  }
}

/** What ferry offers by default (`connect.protocol=sessioned`), most preferred first. */
export const FERRY_SUB_PROTOCOLS: readonly ConnectSubProtocol[] = offeredSubProtocols('sessioned');

/** Whether internal requests between workers are signed and verified under this protocol (KIP-507: only `sessioned`). */
export function requestSigningEnabled(protocol: ConnectSubProtocol | null): boolean {
  return protocol === 'sessioned';
}

/** Task number that stands for the connector instance itself. */
export const CONNECTOR_INSTANCE = -1;

/** Assignment error codes. */
export const ASSIGNMENT_OK = 0;
/** The leader could not assign (its config snapshot is behind a member's). */
export const CONFIG_MISMATCH = 1;

export interface ConnectAssignment {
  /** Header version: 0, 1 or 2 (the chosen sub-protocol's). */
  readonly version: number;
  readonly error: number;
  readonly leader: string;
  readonly leaderUrl: string;
  readonly configOffset: number;
  readonly assigned: WorkSet;
  /** Always empty in V0. */
  readonly revoked: WorkSet;
  /** Milliseconds until the leader wants a rebalance (0: none scheduled). Always 0 in V0. */
  readonly delay: number;
}

export interface ConnectMemberMetadata {
  readonly version: number;
  readonly url: string;
  readonly configOffset: number;
  /** The member's current assignment; null in V0 or when it runs nothing. */
  readonly allocation: ConnectAssignment | null;
}

export function subProtocolVersion(name: string): number | undefined {
  return (SUB_PROTOCOL_VERSION as Record<string, number>)[name];
}

/** Wire form: one entry per connector, `-1` first when the connector instance is included. */
export function toConnectorEntries(work: WorkSet): { connector: string; tasks: number[] }[] {
  const byConnector = new Map<string, number[]>();
  const entry = (name: string) => {
    let tasks = byConnector.get(name);
    if (!tasks) byConnector.set(name, tasks = []);
    return tasks;
  };
  for (const c of new Set(work.connectors)) entry(c).push(CONNECTOR_INSTANCE);
  for (const t of work.tasks) entry(t.connector).push(t.task);
  return [...byConnector].map(([connector, tasks]) => ({ connector, tasks }));
}

export function fromConnectorEntries(entries: readonly { connector: string; tasks: readonly number[] }[]): WorkSet {
  const connectors: string[] = [];
  const tasks: TaskId[] = [];
  for (const e of entries) {
    for (const task of e.tasks) {
      if (task === CONNECTOR_INSTANCE) connectors.push(e.connector);
      else tasks.push({ connector: e.connector, task });
    }
  }
  return { connectors, tasks };
}

export function encodeMemberMetadata(metadata: ConnectMemberMetadata): Buffer {
  const w = new Writer(128);
  w.int16(metadata.version);
  w.string(metadata.url);
  w.int64(metadata.configOffset);
  if (metadata.version >= 1) {
    w.nullableBytes(metadata.allocation ? encodeAssignment({ ...metadata.allocation, version: metadata.version }) : null);
  }
  return w.toBuffer();
}

export function decodeMemberMetadata(bytes: Buffer): ConnectMemberMetadata {
  const r = new Reader(bytes);
  const version = readVersion(r, 'member metadata');
  const url = r.string();
  const configOffset = r.int64();
  let allocation: ConnectAssignment | null = null;
  if (version >= 1 && r.remaining > 0) {
    const inner = r.nullableBytes();
    allocation = inner === null ? null : decodeAssignment(inner);
  }
  return { version, url, configOffset, allocation };
}

export function encodeAssignment(assignment: ConnectAssignment): Buffer {
  const w = new Writer(128);
  w.int16(assignment.version);
  w.int16(assignment.error);
  w.string(assignment.leader);
  w.string(assignment.leaderUrl);
  w.int64(assignment.configOffset);
  writeEntries(w, assignment.assigned);
  if (assignment.version >= 1) {
    writeEntries(w, assignment.revoked);
    w.int32(assignment.delay);
  }
  return w.toBuffer();
}

export function decodeAssignment(bytes: Buffer): ConnectAssignment {
  const r = new Reader(bytes);
  const version = readVersion(r, 'assignment');
  const error = r.int16();
  const leader = r.string();
  const leaderUrl = r.string();
  const configOffset = r.int64();
  const assigned = readEntries(r);
  let revoked = EMPTY_WORK;
  let delay = 0;
  if (version >= 1) {
    if (r.remaining > 0) revoked = readEntries(r);
    if (r.remaining > 0) delay = r.int32();
  }
  return { version, error, leader, leaderUrl, configOffset, assigned, revoked, delay };
}

function readVersion(r: Reader, what: string): number {
  const version = r.int16();
  if (version < 0) throw new ProtocolError(`connect ${what} has invalid version ${version}`);
  return version;
}

function writeEntries(w: Writer, work: WorkSet): void {
  const entries = toConnectorEntries(work);
  w.int32(entries.length);
  for (const e of entries) {
    w.string(e.connector);
    w.int32(e.tasks.length);
    for (const t of e.tasks) w.int32(t);
  }
}

function readEntries(r: Reader): WorkSet {
  const n = r.arrayLength(false);
  if (n < 0) return EMPTY_WORK;
  const entries: { connector: string; tasks: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    const connector = r.string();
    const count = r.arrayLength(false);
    const tasks: number[] = [];
    for (let j = 0; j < count; j++) tasks.push(r.int32());
    entries.push({ connector, tasks });
  }
  return fromConnectorEntries(entries);
}
