/**
 * `ferry groups`: list consumer groups, describe one (state, members, committed offset, log end
 * offset and lag per partition) and reset its offsets on a topic, as kafka-consumer-groups.sh
 * does: reset-offsets is a dry run printing the plan unless --execute is given, and refuses a
 * group with active members. Bundled broker or any Kafka; tables or --json.
 */
import { defineCommand, defineGroup } from '../command-line/command-spec.js';
import { UsageError } from '../command-line/user-error.js';
import { describeGroup, listGroups } from '../groups/group-operations.js';
import { groupListTable, groupTable, json, resetTable } from '../groups/group-views.js';
import { resetOffsets, type ResetTarget } from '../groups/offset-reset.js';
import { CLUSTER_OPTIONS, JSON_OPTION, sessionOptions } from '../kafka-tools/cluster-options.js';
import { withSession } from '../kafka-tools/kafka-session.js';

const CLIENT_ID = 'ferry-groups';
const GROUP = [{ name: 'group', valueName: 'G', description: 'the consumer group' }] as const;

const list = defineCommand({
  name: 'list',
  summary: 'list the groups with their type, state and member count',
  options: { ...CLUSTER_OPTIONS, ...JSON_OPTION },
  async run({ options, io }) {
    const groups = await withSession(await sessionOptions(options, CLIENT_ID), (s) => listGroups(s));
    io.stdout.write(options.json ? json(groups) : groupListTable(groups));
  },
});

const describe = defineCommand({
  name: 'describe',
  summary: 'a group\'s state, members, and committed offset, log end offset and lag per partition',
  options: { ...CLUSTER_OPTIONS, ...JSON_OPTION },
  positionals: GROUP,
  async run({ options, args, io }) {
    const group = await withSession(await sessionOptions(options, CLIENT_ID), (s) => describeGroup(s, args.group));
    io.stdout.write(options.json ? json(group) : groupTable(group));
  },
});

/** `T` or `T:0,1,2`, as kafka-consumer-groups.sh --topic takes it. */
function topicSpec(spec: string): { topic: string; partitions: number[] | undefined } {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) return { topic: spec, partitions: undefined };
  const topic = spec.slice(0, colon);
  const list = spec.slice(colon + 1).split(',').map((p) => p.trim());
  if (topic === '' || list.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--topic must be TOPIC or TOPIC:P,P,..., got '${spec}'`);
  return { topic, partitions: [...new Set(list.map(Number))].sort((a, b) => a - b) };
}

function parseDatetime(text: string): number {
  const trimmed = text.trim();
  // Date.parse reads a date alone as UTC midnight but a date and time without a zone as local time: both are local here.
  const local = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00` : trimmed;
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(local) ? Date.parse(local) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--to-datetime must be an ISO 8601 time such as 2026-12-06T14:00:00Z, got '${text}'`);
  return ms;
}

const reset = defineCommand({
  name: 'reset-offsets',
  summary: 'move where a group resumes on a topic (a dry run unless --execute)',
  usage: ['G --topic T[:P,P...] (--to-earliest | --to-latest | --to-offset N | --to-datetime ISO) [--execute] [--json]'],
  description: 'Prints the new offset of each partition; with --execute commits them. The group must have no active members: '
    + 'stop its consumers first. A time without a zone (2026-12-06T14:00:00) is local time.',
  options: {
    ...CLUSTER_OPTIONS,
    ...JSON_OPTION,
    topic: { type: 'string', required: true, valueName: 'T[:P,P...]', description: 'the topic, optionally with the partitions to reset' },
    'to-earliest': { type: 'boolean', description: 'to each partition\'s log start' },
    'to-latest': { type: 'boolean', description: 'to each partition\'s end (skip everything there now)' },
    'to-offset': { type: 'integer', min: 0, description: 'to this offset (it must lie within each partition\'s log)' },
    'to-datetime': { type: 'string', valueName: 'ISO', description: 'to the first record at or after this time (the end where there is none)' },
    execute: { type: 'boolean', description: 'commit the new offsets (without it: only print them)' },
  },
  positionals: GROUP,
  async run({ options, args, io }) {
    const targets: ResetTarget[] = [
      ...(options['to-earliest'] ? [{ kind: 'earliest' } as const] : []),
      ...(options['to-latest'] ? [{ kind: 'latest' } as const] : []),
      ...(options['to-offset'] !== undefined ? [{ kind: 'offset', offset: options['to-offset'] } as const] : []),
      ...(options['to-datetime'] !== undefined ? [{ kind: 'datetime', timestamp: parseDatetime(options['to-datetime']) } as const] : []),
    ];
    if (targets.length !== 1) {
      throw new UsageError(`reset-offsets needs exactly one of --to-earliest, --to-latest, --to-offset N, --to-datetime ISO${targets.length > 1 ? ` (got ${targets.length})` : ''}`);
    }
    const { topic, partitions } = topicSpec(options.topic);
    const result = await withSession(await sessionOptions(options, CLIENT_ID), (s) => resetOffsets(s, {
      group: args.group, topic, partitions, target: targets[0]!, execute: options.execute,
    }));
    io.stdout.write(options.json ? json(result) : resetTable(result));
  },
});

export const groupsCommand = defineGroup({
  name: 'groups',
  summary: 'list and describe consumer groups (with lag); reset their offsets',
  commands: [list, describe, reset],
});
