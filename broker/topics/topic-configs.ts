/**
 * Topic configs (broker notes §6.7): names, types, defaults, validation, their broker-level
 * synonyms (`log.segment.bytes` for `segment.bytes`, ...) and the mapping to the LogConfig a
 * partition log runs with.
 *
 * A topic config's effective value is, in order: the topic's own (dynamic) value, the
 * broker setting of its synonym, the default. That order is also the DescribeConfigs
 * synonym list. Values are kept as strings, exactly as Kafka reports them.
 */
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../log/log-config.js';

export type ConfigType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'class' | 'password';

/** DescribeConfigs v3+ config_type numbers. */
export const CONFIG_TYPE_IDS: Record<ConfigType, number> = {
  boolean: 1, string: 2, int: 3, short: 4, long: 5, double: 6, list: 7, class: 8, password: 9,
};

/** DescribeConfigs v1+ config_source numbers. */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export const LONG_MAX = '9223372036854775807';
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN_N = -9223372036854775808n;
const LONG_MAX_N = 9223372036854775807n;

interface ConfigDef {
  name: string;
  type: ConfigType;
  default: string;
  /** The broker setting that supplies the default. */
  brokerName?: string;
  /** Returns a problem description, or null when `value` is acceptable. */
  check?: (value: string) => string | null;
  doc: string;
}

function integer(value: string, min: bigint, max: bigint): bigint | null {
  if (!/^-?\d+$/.test(value.trim())) return null;
  const v = BigInt(value.trim());
  return v < min || v > max ? null : v;
}

const atLeast = (min: number | bigint, kind: 'int' | 'long' = 'long') => (value: string): string | null => {
  const v = integer(value, kind === 'int' ? INT_MIN : LONG_MIN_N, kind === 'int' ? INT_MAX : LONG_MAX_N);
  if (v === null) return `must be ${kind === 'int' ? 'a 32-bit' : 'a 64-bit'} integer`;
  return v < BigInt(min) ? `must be at least ${min}` : null;
};

const between = (min: number, max: number, also?: number) => (value: string): string | null => {
  const v = integer(value, INT_MIN, INT_MAX);
  if (v === null) return 'must be a 32-bit integer';
  if (also !== undefined && v === BigInt(also)) return null;
  return v < BigInt(min) || v > BigInt(max) ? `must be in [${min}, ${max}]${also === undefined ? '' : ` or ${also}`}` : null;
};

const oneOf = (...allowed: string[]) => (value: string): string | null =>
  allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;

const bool = (value: string): string | null => (/^(true|false)$/i.test(value.trim()) ? null : 'must be true or false');

const ratio = (value: string): string | null => {
  const v = Number(value);
  return value.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1 ? 'must be a number in [0, 1]' : null;
};

const cleanupPolicy = (value: string): string | null => {
  const items = splitList(value);
  return items.every((i) => i === 'delete' || i === 'compact') ? null : 'must list delete and/or compact';
};

const anyString = (): string | null => null;

const DEFS: ConfigDef[] = [
  { name: 'cleanup.policy', type: 'list', default: 'delete', brokerName: 'log.cleanup.policy', check: cleanupPolicy,
    doc: 'delete (retention), compact (keep the latest value per key), or both.' },
  { name: 'compression.gzip.level', type: 'int', default: '-1', brokerName: 'compression.gzip.level', check: between(1, 9, -1),
    doc: 'gzip level when the broker recompresses.' },
  { name: 'compression.lz4.level', type: 'int', default: '9', brokerName: 'compression.lz4.level', check: between(1, 17),
    doc: 'lz4 level when the broker recompresses.' },
  { name: 'compression.type', type: 'string', default: 'producer', brokerName: 'compression.type',
    check: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'), doc: 'Codec of stored batches; producer keeps what the producer sent.' },
  { name: 'compression.zstd.level', type: 'int', default: '3', brokerName: 'compression.zstd.level', check: between(-131072, 22),
    doc: 'zstd level when the broker recompresses.' },
  { name: 'delete.retention.ms', type: 'long', default: '86400000', brokerName: 'log.cleaner.delete.retention.ms', check: atLeast(0),
    doc: 'How long compaction keeps tombstones after first passing them.' },
  { name: 'file.delete.delay.ms', type: 'long', default: '60000', brokerName: 'log.segment.delete.delay.ms', check: atLeast(0),
    doc: 'Accepted; segments are deleted immediately.' },
  { name: 'flush.messages', type: 'long', default: LONG_MAX, brokerName: 'log.flush.interval.messages', check: atLeast(1),
    doc: 'fsync after this many records; 1 makes every acknowledged write durable against power loss.' },
  { name: 'flush.ms', type: 'long', default: '1000', brokerName: 'log.flush.interval.ms', check: atLeast(0),
    doc: 'fsync data at most this long after it was written.' },
  { name: 'follower.replication.throttled.replicas', type: 'list', default: '', check: anyString,
    doc: 'Accepted, no effect on a single node.' },
  { name: 'index.interval.bytes', type: 'int', default: '4096', brokerName: 'log.index.interval.bytes', check: atLeast(0, 'int'),
    doc: 'Bytes between offset index entries.' },
  { name: 'leader.replication.throttled.replicas', type: 'list', default: '', check: anyString,
    doc: 'Accepted, no effect on a single node.' },
  { name: 'local.retention.bytes', type: 'long', default: '-2', brokerName: 'log.local.retention.bytes', check: atLeast(-2),
    doc: 'Tiered storage; accepted, no effect.' },
  { name: 'local.retention.ms', type: 'long', default: '-2', brokerName: 'log.local.retention.ms', check: atLeast(-2),
    doc: 'Tiered storage; accepted, no effect.' },
  { name: 'max.compaction.lag.ms', type: 'long', default: LONG_MAX, brokerName: 'log.cleaner.max.compaction.lag.ms', check: atLeast(1),
    doc: 'Longest a record stays uncompacted.' },
  { name: 'max.message.bytes', type: 'int', default: '1048588', brokerName: 'message.max.bytes', check: atLeast(0, 'int'),
    doc: 'Largest record batch accepted.' },
  { name: 'message.downconversion.enable', type: 'boolean', default: 'true', brokerName: 'log.message.downconversion.enable', check: bool,
    doc: 'Accepted (removed in Kafka 4.0).' },
  { name: 'message.format.version', type: 'string', default: '3.0-IV1', brokerName: 'log.message.format.version', check: anyString,
    doc: 'Accepted (removed in Kafka 4.0); batches are always magic 2.' },
  { name: 'message.timestamp.after.max.ms', type: 'long', default: LONG_MAX, brokerName: 'log.message.timestamp.after.max.ms', check: atLeast(0),
    doc: 'Largest allowed CreateTime ahead of the broker clock.' },
  { name: 'message.timestamp.before.max.ms', type: 'long', default: LONG_MAX, brokerName: 'log.message.timestamp.before.max.ms', check: atLeast(0),
    doc: 'Largest allowed CreateTime behind the broker clock.' },
  { name: 'message.timestamp.difference.max.ms', type: 'long', default: LONG_MAX, brokerName: 'log.message.timestamp.difference.max.ms',
    check: atLeast(0), doc: 'Deprecated; accepted.' },
  { name: 'message.timestamp.type', type: 'string', default: 'CreateTime', brokerName: 'log.message.timestamp.type',
    check: oneOf('CreateTime', 'LogAppendTime'), doc: 'CreateTime keeps producer timestamps; LogAppendTime stamps the append time.' },
  { name: 'min.cleanable.dirty.ratio', type: 'double', default: '0.5', brokerName: 'log.cleaner.min.cleanable.ratio', check: ratio,
    doc: 'Dirty share of the log that triggers compaction.' },
  { name: 'min.compaction.lag.ms', type: 'long', default: '0', brokerName: 'log.cleaner.min.compaction.lag.ms', check: atLeast(0),
    doc: 'Shortest time a record stays uncompacted.' },
  { name: 'min.insync.replicas', type: 'int', default: '1', brokerName: 'min.insync.replicas', check: atLeast(1, 'int'),
    doc: 'Accepted; a single node is always in sync.' },
  { name: 'preallocate', type: 'boolean', default: 'false', brokerName: 'log.preallocate', check: bool, doc: 'Accepted, no effect.' },
  { name: 'remote.log.copy.disable', type: 'boolean', default: 'false', check: bool, doc: 'Tiered storage; accepted, no effect.' },
  { name: 'remote.log.delete.on.disable', type: 'boolean', default: 'false', check: bool, doc: 'Tiered storage; accepted, no effect.' },
  { name: 'remote.storage.enable', type: 'boolean', default: 'false', check: bool, doc: 'Tiered storage; accepted, no effect.' },
  { name: 'retention.bytes', type: 'long', default: '-1', brokerName: 'log.retention.bytes', check: atLeast(LONG_MIN_N),
    doc: 'Delete old segments while the partition is larger; -1 is unlimited.' },
  { name: 'retention.ms', type: 'long', default: '604800000', brokerName: 'log.retention.ms', check: atLeast(-1),
    doc: 'Delete segments older than this; -1 keeps forever.' },
  { name: 'segment.bytes', type: 'int', default: '1073741824', brokerName: 'log.segment.bytes', check: atLeast(14, 'int'),
    doc: 'Segment file size.' },
  { name: 'segment.index.bytes', type: 'int', default: '10485760', brokerName: 'log.index.size.max.bytes', check: atLeast(4, 'int'),
    doc: 'Largest index file.' },
  { name: 'segment.jitter.ms', type: 'long', default: '0', brokerName: 'log.roll.jitter.ms', check: atLeast(0),
    doc: 'Random reduction of segment.ms per segment.' },
  { name: 'segment.ms', type: 'long', default: '604800000', brokerName: 'log.roll.ms', check: atLeast(1),
    doc: 'Roll the active segment after this long.' },
  { name: 'unclean.leader.election.enable', type: 'boolean', default: 'false', brokerName: 'unclean.leader.election.enable', check: bool,
    doc: 'Accepted, no effect on a single node.' },
];

const BY_NAME = new Map(DEFS.map((d) => [d.name, d]));
const BY_BROKER_NAME = new Map(DEFS.filter((d) => d.brokerName).map((d) => [d.brokerName!, d]));

export const TOPIC_CONFIG_NAMES: readonly string[] = DEFS.map((d) => d.name);

export function isTopicConfig(name: string): boolean {
  return BY_NAME.has(name);
}

export function topicConfigType(name: string): ConfigType | undefined {
  return BY_NAME.get(name)?.type;
}

export function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Why `value` is not acceptable for topic config `name` (null when it is). Unknown names are a problem too. */
export function checkTopicConfig(name: string, value: string | null): string | null {
  const def = BY_NAME.get(name);
  if (def === undefined) return `unknown topic config ${name}`;
  if (value === null) return `null value is not allowed for ${name}`;
  const problem = def.check?.(value) ?? null;
  return problem === null ? null : `invalid value ${JSON.stringify(value)} for ${name}: ${problem}`;
}

/** Broker settings (Kafka names, e.g. from --config or BrokerConfig.logSettings). */
export type BrokerSettings = Record<string, string | number | boolean | undefined>;

/**
 * The broker-level defaults of topic configs, by topic config name, from broker settings.
 * Also understands log.retention.minutes/hours and log.roll.hours. Throws on invalid values.
 */
export function brokerTopicDefaults(settings: BrokerSettings): Map<string, string> {
  const out = new Map<string, string>();
  const str = (k: string): string | undefined => (settings[k] === undefined ? undefined : String(settings[k]));
  for (const [brokerName, def] of BY_BROKER_NAME) {
    const v = str(brokerName);
    if (v === undefined) continue;
    const problem = def.check?.(v) ?? null;
    if (problem !== null) throw new Error(`invalid broker setting ${brokerName}=${v}: ${problem}`);
    out.set(def.name, v);
  }
  const scaled = (topicName: string, names: Array<[string, bigint]>): void => {
    if (out.has(topicName)) return;
    for (const [n, factor] of names) {
      const v = str(n);
      if (v === undefined) continue;
      const parsed = integer(v, LONG_MIN_N, LONG_MAX_N);
      if (parsed === null) throw new Error(`invalid broker setting ${n}=${v}: must be an integer`);
      out.set(topicName, String(parsed < 0n ? -1n : parsed * factor));
      return;
    }
  };
  scaled('retention.ms', [['log.retention.minutes', 60000n], ['log.retention.hours', 3600000n]]);
  scaled('segment.ms', [['log.roll.hours', 3600000n]]);
  return out;
}

export interface ConfigSynonym {
  name: string;
  value: string;
  source: number;
}

export interface DescribedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** True unless the topic sets the config itself (DescribeConfigs v0 is_default). */
  isDefault: boolean;
  /** ConfigSource number (v1+). */
  source: number;
  isSensitive: boolean;
  /** CONFIG_TYPE_IDS number (v3+). */
  type: number;
  /** Most specific first: topic value, broker setting, default. */
  synonyms: ConfigSynonym[];
  documentation: string | null;
}

/** Every topic config with its effective value and where it comes from. */
export function describeTopicConfigs(
  topicConfigs: Record<string, string>, brokerDefaults: Map<string, string>, keys?: readonly string[] | null,
): DescribedConfig[] {
  const wanted = keys === undefined || keys === null ? null : new Set(keys);
  const out: DescribedConfig[] = [];
  for (const def of DEFS) {
    if (wanted !== null && !wanted.has(def.name)) continue;
    const synonyms: ConfigSynonym[] = [];
    const own = topicConfigs[def.name];
    if (own !== undefined) synonyms.push({ name: def.name, value: own, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    const broker = brokerDefaults.get(def.name);
    if (broker !== undefined && def.brokerName !== undefined) {
      synonyms.push({ name: def.brokerName, value: broker, source: ConfigSource.STATIC_BROKER_CONFIG });
    }
    synonyms.push({ name: def.brokerName ?? def.name, value: def.default, source: ConfigSource.DEFAULT_CONFIG });
    const effective = synonyms[0]!;
    out.push({
      name: def.name,
      value: effective.value,
      readOnly: false,
      isDefault: own === undefined,
      source: effective.source,
      isSensitive: false,
      type: CONFIG_TYPE_IDS[def.type],
      synonyms,
      documentation: def.doc,
    });
  }
  return out;
}

/** The broker settings that supply topic-config defaults, with their current values. */
export function describeBrokerSynonyms(brokerDefaults: Map<string, string>): Array<{ name: string; value: string; explicit: boolean; type: number }> {
  const out: Array<{ name: string; value: string; explicit: boolean; type: number }> = [];
  for (const def of DEFS) {
    if (def.brokerName === undefined) continue;
    const set = brokerDefaults.get(def.name);
    out.push({ name: def.brokerName, value: set ?? def.default, explicit: set !== undefined, type: CONFIG_TYPE_IDS[def.type] });
  }
  return out;
}

/** Effective value of every topic config (topic value, else broker default, else default). */
export function effectiveTopicConfigs(topicConfigs: Record<string, string>, brokerDefaults: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const def of DEFS) out.set(def.name, topicConfigs[def.name] ?? brokerDefaults.get(def.name) ?? def.default);
  return out;
}

function num(value: string): number {
  const n = Number(value);
  return n >= Number.MAX_SAFE_INTEGER ? Infinity : n;
}

/** The LogConfig a partition of a topic with these effective configs runs with. */
export function toLogConfig(effective: Map<string, string>, producerIdExpirationMs: number): LogConfig {
  const get = (name: string): string => effective.get(name) ?? BY_NAME.get(name)!.default;
  const policy = splitList(get('cleanup.policy'));
  return {
    ...DEFAULT_LOG_CONFIG,
    segmentBytes: num(get('segment.bytes')),
    segmentMs: num(get('segment.ms')),
    segmentJitterMs: num(get('segment.jitter.ms')),
    segmentIndexBytes: num(get('segment.index.bytes')),
    indexIntervalBytes: num(get('index.interval.bytes')),
    retentionMs: num(get('retention.ms')),
    retentionBytes: num(get('retention.bytes')),
    cleanupDelete: policy.includes('delete'),
    cleanupCompact: policy.includes('compact'),
    deleteRetentionMs: num(get('delete.retention.ms')),
    minCleanableDirtyRatio: Number(get('min.cleanable.dirty.ratio')),
    minCompactionLagMs: num(get('min.compaction.lag.ms')),
    maxCompactionLagMs: num(get('max.compaction.lag.ms')),
    flushMessages: num(get('flush.messages')),
    flushMs: num(get('flush.ms')),
    logAppendTime: get('message.timestamp.type') === 'LogAppendTime',
    maxMessageBytes: num(get('max.message.bytes')),
    timestampBeforeMaxMs: num(get('message.timestamp.before.max.ms')),
    timestampAfterMaxMs: num(get('message.timestamp.after.max.ms')),
    producerIdExpirationMs,
  };
}

/** Applies IncrementalAlterConfigs APPEND/SUBTRACT to a list value. */
export function appendToList(current: string, items: string): string {
  const list = splitList(current);
  for (const i of splitList(items)) if (!list.includes(i)) list.push(i);
  return list.join(',');
}

export function subtractFromList(current: string, items: string): string {
  const remove = new Set(splitList(items));
  return splitList(current).filter((i) => !remove.has(i)).join(',');
}

export function defaultOf(name: string): string | undefined {
  return BY_NAME.get(name)?.default;
}
