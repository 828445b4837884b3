/**
 * `ferry topics`: list, describe, create and delete topics, print a topic's records and write
 * records from standard input, on the bundled broker or any Kafka (standard protocol APIs only).
 * Tables for people, --json for scripts; failures a user can cause are one line (unknown topic,
 * broker unreachable naming the address, bad offset), exit 1; usage mistakes exit 2.
 */
import type { RecordHeader } from '../../runtime/kafka/kafka-client.js';
import type { CommandIo } from '../command-line/command-io.js';
import { defineCommand, defineGroup } from '../command-line/command-spec.js';
import { UsageError } from '../command-line/user-error.js';
import { CLUSTER_OPTIONS, drainingWriter, JSON_OPTION, linesOf, sessionOptions } from '../kafka-tools/cluster-options.js';
import { withSession } from '../kafka-tools/kafka-session.js';
import { RECORD_FORMATS, type RecordFormat } from '../topics/record-format.js';
import { consumeTopic, type ConsumeStart } from '../topics/topic-consume.js';
import { produceLines } from '../topics/topic-produce.js';
import { createTopic, describeTopic, listTopics, removeTopic } from '../topics/topic-operations.js';
import { topicJson, topicListJson, topicListTable, topicTable } from '../topics/topic-views.js';

const CLIENT_ID = 'ferry-topics';
const TOPIC = [{ name: 'topic', valueName: 'NAME', description: 'the topic' }] as const;

/** `k=v` pairs of a repeated option; the first `=` splits, the name must not be empty. */
function pairs(flag: string, given: readonly string[]): [string, string][] {
  return given.map((entry) => {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} must be NAME=VALUE, got '${entry}'`);
    return [entry.slice(0, at), entry.slice(at + 1)];
  });
}

const list = defineCommand({
  name: 'list',
  summary: 'list the topics with their partition counts',
  options: {
    ...CLUSTER_OPTIONS,
    ...JSON_OPTION,
    internal: { type: 'boolean', description: 'include internal topics (__consumer_offsets, __transaction_state)' },
  },
  async run({ options, io }) {
    const topics = await withSession(await sessionOptions(options, CLIENT_ID), (s) => listTopics(s, { internal: options.internal }));
    io.stdout.write(options.json ? topicListJson(topics) : topicListTable(topics));
  },
});

const describe = defineCommand({
  name: 'describe',
  summary: 'a topic\'s partitions (leader, replicas, in-sync replicas, earliest and latest offsets) and configs',
  options: {
    ...CLUSTER_OPTIONS,
    ...JSON_OPTION,
    'all-configs': { type: 'boolean', description: 'list every config, broker defaults included (default: those set on the topic)' },
  },
  positionals: TOPIC,
  async run({ options, args, io }) {
    const topic = await withSession(await sessionOptions(options, CLIENT_ID), (s) => describeTopic(s, args.topic, { allConfigs: options['all-configs'] }));
    io.stdout.write(options.json ? topicJson(topic) : topicTable(topic));
  },
});

const create = defineCommand({
  name: 'create',
  summary: 'create a topic',
  options: {
    ...CLUSTER_OPTIONS,
    ...JSON_OPTION,
    partitions: { type: 'integer', min: 1, description: 'number of partitions (default: the broker\'s num.partitions)' },
    'replication-factor': { type: 'integer', min: 1, max: 32767, valueName: 'R', description: 'replicas per partition (default: the broker\'s default.replication.factor)' },
    config: { type: 'repeated', valueName: 'NAME=VALUE', description: 'a topic config, e.g. cleanup.policy=compact (repeatable)' },
  },
  positionals: TOPIC,
  async run({ options, args, io }) {
    const configs = Object.fromEntries(pairs('--config', options.config));
    const topic = await withSession(await sessionOptions(options, CLIENT_ID), (s) => createTopic(s, {
      name: args.topic, partitions: options.partitions, replicationFactor: options['replication-factor'], configs,
    }));
    io.stdout.write(options.json ? topicJson(topic) : `Created topic ${topic.name} with ${topic.partitions.length} partition${topic.partitions.length === 1 ? '' : 's'}.\n`);
  },
});

const remove = defineCommand({
  name: 'delete',
  summary: 'delete a topic and its records',
  options: { ...CLUSTER_OPTIONS, ...JSON_OPTION },
  positionals: TOPIC,
  async run({ options, args, io }) {
    await withSession(await sessionOptions(options, CLIENT_ID), (s) => removeTopic(s, args.topic));
    io.stdout.write(options.json ? `${JSON.stringify({ deleted: args.topic })}\n` : `Deleted topic ${args.topic}.\n`);
  },
});

/** Aborts on Ctrl-C, on SIGTERM, and when the reader of standard output went away. */
function stopSignal(io: CommandIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const stdout = io.stdout as { on?: (event: 'error', listener: (err: NodeJS.ErrnoException) => void) => unknown; off?: (event: 'error', listener: (err: NodeJS.ErrnoException) => void) => unknown };
  stdout.on?.('error', onStdoutError);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      stdout.off?.('error', onStdoutError);
    },
  };
}

const consume = defineCommand({
  name: 'consume',
  summary: 'print a topic\'s records (keys, values, headers, timestamps) as they arrive',
  description: 'Reads from the end unless --from-beginning or --offset say otherwise, until Ctrl-C, --max records or, with --exit-at-end, '
    + 'the end offsets at the time of starting. With --group it reads as a member of that consumer group, from its committed offsets, '
    + 'and commits what it printed.\n'
    + 'Formats: text (Partition, Offset, timestamp, Key, Headers, Value, tab-separated), json (one object per line; bytes that are '
    + 'not UTF-8 as {"base64": ...}), value (the value alone).',
  options: {
    ...CLUSTER_OPTIONS,
    'from-beginning': { type: 'boolean', description: 'start at the log start (with --group: where the group has no committed offset)' },
    offset: { type: 'integer', min: 0, description: 'start at this offset (of --partition P, or of the topic\'s only partition)' },
    partition: { type: 'integer', min: 0, valueName: 'P', description: 'read only this partition' },
    group: { type: 'string', valueName: 'G', description: 'read as a member of consumer group G and commit what was printed' },
    format: { type: 'string', choices: RECORD_FORMATS, default: 'text', valueName: 'text|json|value', description: 'how to print each record' },
    json: { type: 'boolean', description: 'the same as --format json' },
    max: { type: 'integer', min: 1, description: 'stop after N records' },
    'exit-at-end': { type: 'boolean', description: 'stop once the records present at start were printed' },
  },
  positionals: TOPIC,
  async run({ options, args, io }) {
    if (options['from-beginning'] && options.offset !== undefined) throw new UsageError('--from-beginning and --offset exclude each other');
    const start: ConsumeStart = options.offset !== undefined ? { offset: options.offset } : options['from-beginning'] ? 'beginning' : 'end';
    const format = options.json ? 'json' : options.format as RecordFormat;
    const stop = stopSignal(io);
    try {
      await withSession(await sessionOptions(options, CLIENT_ID), (s) => consumeTopic(s, {
        topic: args.topic,
        start,
        partition: options.partition,
        group: options.group,
        format,
        max: options.max,
        exitAtEnd: options['exit-at-end'],
        signal: stop.signal,
        write: drainingWriter(io.stdout),
      }));
    } finally {
      stop.dispose();
    }
  },
});

const produce = defineCommand({
  name: 'produce',
  summary: 'write one record per line of standard input',
  description: 'Each line is a record\'s value, or with --key-separator its key, the separator and its value. '
    + 'Prints how many records went to which partitions and offsets once standard input ends.',
  options: {
    ...CLUSTER_OPTIONS,
    ...JSON_OPTION,
    'key-separator': { type: 'string', valueName: 'S', description: 'split each line at the first S into key and value (a line without S is an error)' },
    header: { type: 'repeated', valueName: 'NAME=VALUE', description: 'a header on every record (repeatable)' },
    partition: { type: 'integer', min: 0, valueName: 'P', description: 'write to this partition (default: by key hash, keyless records spread)' },
  },
  positionals: TOPIC,
  async run({ options, args, io }) {
    if (options['key-separator'] === '') throw new UsageError('--key-separator must not be empty');
    const headers: RecordHeader[] = pairs('--header', options.header).map(([key, value]) => ({ key, value: Buffer.from(value) }));
    const result = await withSession(await sessionOptions(options, CLIENT_ID), (s) => produceLines(s, {
      topic: args.topic,
      keySeparator: options['key-separator'],
      headers,
      partition: options.partition,
      lines: linesOf(io.stdin),
    }));
    if (options.json) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const where = result.partitions.map((p) => `partition ${p.partition} ${p.firstOffset === p.lastOffset ? `offset ${p.firstOffset}` : `offsets ${p.firstOffset}-${p.lastOffset}`}`).join(', ');
    io.stdout.write(`Produced ${result.records} record${result.records === 1 ? '' : 's'} to ${result.topic}${where === '' ? '' : ` (${where})`}.\n`);
  },
});

export const topicsCommand = defineGroup({
  name: 'topics',
  summary: 'list, describe, create and delete topics; consume and produce records',
  commands: [list, describe, create, remove, consume, produce],
});
