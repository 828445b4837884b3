/**
 * GTID bookkeeping for both flavors.
 *
 * `MySqlGtidSet`: MySQL's `uuid:1-5:7-9,uuid2:1-3` — per server uuid a sorted list of disjoint,
 * non-adjacent closed intervals of transaction numbers (bigint: GNOs go up to 2^63-1). It is
 * immutable: `add()` returns a new set, so a set stored in an offset never changes under its holder.
 * Binary form (COM_BINLOG_DUMP_GTID and PREVIOUS_GTIDS): u64 n_sids, per sid 16 bytes uuid,
 * u64 n_intervals, per interval u64 start and u64 end (exclusive). Tagged GTIDs (MySQL 8.3+,
 * `uuid:tag:1-5`) are refused with an error that says so.
 *
 * `MariaDbGtidPosition`: MariaDB's `domain-server-seq` list. `add()` keeps one entry per
 * (domain, server) as Debezium's offsets do; `toConnectState()` gives the one-per-domain form
 * (highest sequence) that `@slave_connect_state` accepts.
 */

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export class GtidSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GtidSyntaxError';
  }
}

/** A closed interval [start, end]. */
export interface GtidInterval {
  readonly start: bigint;
  readonly end: bigint;
}

function normaliseUuid(text: string, whole: string): string {
  const t = text.trim();
  if (!UUID_RE.test(t)) {
    throw new GtidSyntaxError(`'${t}' in GTID set '${whole}' is not a server uuid`);
  }
  const hex = t.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function parseGno(text: string, whole: string): bigint {
  if (!/^\d+$/.test(text)) {
    if (/^[a-z_][a-z0-9_]*$/i.test(text)) {
      throw new GtidSyntaxError(`GTID set '${whole}' uses tagged GTIDs (MySQL 8.3+), which are not supported`);
    }
    throw new GtidSyntaxError(`'${text}' in GTID set '${whole}' is not a transaction number`);
  }
  const v = BigInt(text);
  if (v < 1n) throw new GtidSyntaxError(`transaction numbers start at 1 in GTID set '${whole}'`);
  return v;
}

/** Sorted, merged copy (adjacent intervals join: 1-3 and 4-5 become 1-5). */
function normaliseIntervals(list: GtidInterval[]): GtidInterval[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: GtidInterval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end + 1n) {
      if (iv.end > last.end) out[out.length - 1] = { start: last.start, end: iv.end };
    } else {
      out.push(iv);
    }
  }
  return out;
}

export class MySqlGtidSet {
  private constructor(private readonly byUuid: ReadonlyMap<string, readonly GtidInterval[]>) {}

  static empty(): MySqlGtidSet {
    return new MySqlGtidSet(new Map());
  }

  /** Parses `uuid:1-5:7,uuid2:1-3` (whitespace and newlines, as the server prints them, allowed). */
  static parse(text: string): MySqlGtidSet {
    const map = new Map<string, GtidInterval[]>();
    for (const part of text.split(',')) {
      const entry = part.trim();
      if (entry === '') continue;
      const [uuidText, ...ranges] = entry.split(':');
      const uuid = normaliseUuid(uuidText!, text);
      if (ranges.length === 0) throw new GtidSyntaxError(`'${entry}' in GTID set '${text}' has no transaction numbers`);
      const list = map.get(uuid) ?? [];
      for (const range of ranges) {
        const [a, b, extra] = range.trim().split('-');
        if (extra !== undefined) throw new GtidSyntaxError(`'${range}' in GTID set '${text}' is not a range`);
        const start = parseGno(a!, text);
        const end = b === undefined ? start : parseGno(b, text);
        if (end < start) throw new GtidSyntaxError(`range '${range}' in GTID set '${text}' ends before it starts`);
        list.push({ start, end });
      }
      map.set(uuid, list);
    }
    const normalised = new Map<string, GtidInterval[]>();
    for (const [uuid, list] of map) normalised.set(uuid, normaliseIntervals(list));
    return new MySqlGtidSet(normalised);
  }

  /** Decodes the binary form (PREVIOUS_GTIDS body, COM_BINLOG_DUMP_GTID payload). */
  static decode(buf: Buffer): MySqlGtidSet {
    let at = 0;
    const need = (n: number): void => {
      if (at + n > buf.length) throw new GtidSyntaxError(`encoded GTID set truncated at byte ${at} of ${buf.length}`);
    };
    need(8);
    const sids = Number(buf.readBigUInt64LE(at));
    at += 8;
    const map = new Map<string, GtidInterval[]>();
    for (let i = 0; i < sids; i++) {
      need(24);
      const hex = buf.toString('hex', at, at + 16);
      at += 16;
      const uuid = normaliseUuid(hex, hex);
      const count = Number(buf.readBigUInt64LE(at));
      at += 8;
      const list: GtidInterval[] = [];
      for (let j = 0; j < count; j++) {
        need(16);
        const start = buf.readBigUInt64LE(at);
        const endExclusive = buf.readBigUInt64LE(at + 8);
        at += 16;
        list.push({ start, end: endExclusive - 1n });
      }
      map.set(uuid, normaliseIntervals([...(map.get(uuid) ?? []), ...list]));
    }
    return new MySqlGtidSet(map);
  }

  get isEmpty(): boolean {
    return this.byUuid.size === 0;
  }

  uuids(): string[] {
    return [...this.byUuid.keys()].sort();
  }

  intervals(uuid: string): readonly GtidInterval[] {
    return this.byUuid.get(uuid.toLowerCase()) ?? [];
  }

  /** A new set that also contains `gtid` (`uuid:gno`). */
  add(gtid: string): MySqlGtidSet {
    const { uuid, gno } = splitMySqlGtid(gtid);
    if (this.contains(gtid)) return this;
    const map = new Map(this.byUuid);
    map.set(uuid, normaliseIntervals([...(map.get(uuid) ?? []), { start: gno, end: gno }]));
    return new MySqlGtidSet(map);
  }

  /** A new set with every transaction of both. */
  union(other: MySqlGtidSet): MySqlGtidSet {
    const map = new Map(this.byUuid);
    for (const [uuid, list] of other.byUuid) map.set(uuid, normaliseIntervals([...(map.get(uuid) ?? []), ...list]));
    return new MySqlGtidSet(map);
  }

  contains(gtid: string): boolean {
    const { uuid, gno } = splitMySqlGtid(gtid);
    return (this.byUuid.get(uuid) ?? []).some((iv) => iv.start <= gno && gno <= iv.end);
  }

  /** True when every transaction of `other` is in this set. */
  containsAll(other: MySqlGtidSet): boolean {
    for (const [uuid, list] of other.byUuid) {
      const mine = this.byUuid.get(uuid) ?? [];
      for (const iv of list) {
        if (!mine.some((m) => m.start <= iv.start && iv.end <= m.end)) return false;
      }
    }
    return true;
  }

  equals(other: MySqlGtidSet): boolean {
    return this.containsAll(other) && other.containsAll(this);
  }

  /** Text form, uuids sorted: `uuid:1-5:7,uuid2:1-3` (empty set → `''`). */
  toString(): string {
    return this.uuids()
      .map((uuid) => `${uuid}:${this.byUuid.get(uuid)!.map((iv) => (iv.start === iv.end ? `${iv.start}` : `${iv.start}-${iv.end}`)).join(':')}`)
      .join(',');
  }

  /** The binary form COM_BINLOG_DUMP_GTID carries. */
  encode(): Buffer {
    const uuids = this.uuids();
    let size = 8;
    for (const uuid of uuids) size += 16 + 8 + 16 * this.byUuid.get(uuid)!.length;
    const buf = Buffer.alloc(size);
    let at = buf.writeBigUInt64LE(BigInt(uuids.length), 0);
    for (const uuid of uuids) {
      at += Buffer.from(uuid.replace(/-/g, ''), 'hex').copy(buf, at);
      const list = this.byUuid.get(uuid)!;
      at = buf.writeBigUInt64LE(BigInt(list.length), at);
      for (const iv of list) {
        at = buf.writeBigUInt64LE(iv.start, at);
        at = buf.writeBigUInt64LE(iv.end + 1n, at);
      }
    }
    return buf;
  }
}

function splitMySqlGtid(gtid: string): { uuid: string; gno: bigint } {
  const colon = gtid.lastIndexOf(':');
  if (colon < 0) throw new GtidSyntaxError(`'${gtid}' is not a GTID (uuid:number)`);
  const uuidPart = gtid.slice(0, colon);
  if (uuidPart.includes(':')) throw new GtidSyntaxError(`GTID '${gtid}' is tagged (MySQL 8.3+), which is not supported`);
  return { uuid: normaliseUuid(uuidPart, gtid), gno: parseGno(gtid.slice(colon + 1).trim(), gtid) };
}

export interface MariaDbGtid {
  readonly domainId: number;
  readonly serverId: number;
  readonly sequence: bigint;
}

export function parseMariaDbGtid(text: string): MariaDbGtid {
  const m = /^\s*(\d+)-(\d+)-(\d+)\s*$/.exec(text);
  if (!m) throw new GtidSyntaxError(`'${text}' is not a MariaDB GTID (domain-server-sequence)`);
  const domainId = Number(m[1]);
  const serverId = Number(m[2]);
  if (domainId > 0xffffffff || serverId > 0xffffffff) throw new GtidSyntaxError(`'${text}': domain and server ids are 32-bit`);
  return { domainId, serverId, sequence: BigInt(m[3]!) };
}

export function formatMariaDbGtid(g: MariaDbGtid): string {
  return `${g.domainId}-${g.serverId}-${g.sequence}`;
}

export class MariaDbGtidPosition {
  private constructor(private readonly entries: readonly MariaDbGtid[]) {}

  static empty(): MariaDbGtidPosition {
    return new MariaDbGtidPosition([]);
  }

  /** Parses `0-1-100,1-2-7` (whitespace allowed, empty text = empty position). */
  static parse(text: string): MariaDbGtidPosition {
    let pos = MariaDbGtidPosition.empty();
    for (const part of text.split(',')) {
      if (part.trim() === '') continue;
      pos = pos.add(part);
    }
    return pos;
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  gtids(): readonly MariaDbGtid[] {
    return this.entries;
  }

  /** A new position where `gtid` replaces the entry of its (domain, server). */
  add(gtid: string | MariaDbGtid): MariaDbGtidPosition {
    const g = typeof gtid === 'string' ? parseMariaDbGtid(gtid) : gtid;
    const rest = this.entries.filter((e) => !(e.domainId === g.domainId && e.serverId === g.serverId));
    return new MariaDbGtidPosition(sortGtids([...rest, g]));
  }

  /** The sequence reached in a domain (highest over its servers), or undefined. */
  sequenceIn(domainId: number): bigint | undefined {
    let best: bigint | undefined;
    for (const e of this.entries) if (e.domainId === domainId && (best === undefined || e.sequence > best)) best = e.sequence;
    return best;
  }

  /** True when `gtid` is at or before this position in its domain. */
  contains(gtid: string | MariaDbGtid): boolean {
    const g = typeof gtid === 'string' ? parseMariaDbGtid(gtid) : gtid;
    const seq = this.sequenceIn(g.domainId);
    return seq !== undefined && g.sequence <= seq;
  }

  /** `domain-server-seq,...` with every (domain, server) entry, sorted. */
  toString(): string {
    return this.entries.map(formatMariaDbGtid).join(',');
  }

  /** One entry per domain (the highest sequence), the form `@slave_connect_state` accepts. */
  toConnectState(): string {
    const best = new Map<number, MariaDbGtid>();
    for (const e of this.entries) {
      const cur = best.get(e.domainId);
      if (!cur || e.sequence > cur.sequence) best.set(e.domainId, e);
    }
    return sortGtids([...best.values()]).map(formatMariaDbGtid).join(',');
  }
}

function sortGtids(list: MariaDbGtid[]): MariaDbGtid[] {
  return list.sort((a, b) => a.domainId - b.domainId || a.serverId - b.serverId);
}
