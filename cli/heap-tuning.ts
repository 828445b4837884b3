/**
 * V8 garbage-collector settings for ferry's long-running processes (worker, broker, `ferry start`,
 * MirrorMaker), set when the command starts, before any of its modules load.
 *
 * Why: records on the data path live for the pipeline's in-flight window (read, converted, sent,
 * acknowledged; or fetched, converted, written): tens of milliseconds under load. That outlives the
 * interval between two young-generation collections at a few hundred MB/s of allocation, so many
 * records are promoted to the old generation and die there a moment later. With V8's defaults:
 * - allocation-site pretenuring sees the sites that allocate records survive, and allocates their
 *   objects in the old generation directly;
 * - the old generation may grow to up to four times what survived the last full collection before
 *   the next one, so it saws between the ~25 MB a worker really holds and 100-140 MB of garbage.
 * On 1M 100-byte lines through FileStreamSource -> broker -> FileStreamSink (`npm run bench:runtime`,
 * split layout) the worker peaked at 240-278 MB RSS with V8's defaults, 229-265 MB with pretenuring
 * off alone. With the old generation also limited to twice what survived the last full
 * collection, it peaked at 174-194 MB at the same throughput (a full collection of the ~25 MB a
 * worker really holds takes a few milliseconds); limited to one and a half times, at 165-179 MB for
 * about 10 % more CPU per record.
 *
 * These flags change only when and where V8 collects, never what a program computes, so setting them
 * after start (the only way short of re-executing node) is safe: at worst they have no effect. A user
 * who names one of these flags on node's command line (or in NODE_OPTIONS, where node allows it)
 * keeps their own setting.
 */
import v8 from 'node:v8';

/** Each flag with the name a user would give to override it. */
const DATA_PATH_GC_FLAGS: readonly { name: string; flag: string }[] = [
  { name: 'allocation-site-pretenuring', flag: '--no-allocation-site-pretenuring' },
  { name: 'heap-growing-percent', flag: '--heap-growing-percent=100' },
];

export function tuneHeapForDataPath(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)]
    .map((arg) => /^--(?:no-)?([a-z0-9_-]+)/.exec(arg)?.[1]?.replaceAll('_', '-'))
    .filter((name): name is string => name !== undefined);
  const applied = DATA_PATH_GC_FLAGS.filter(({ name }) => !given.includes(name)).map(({ flag }) => flag);
  for (const flag of applied) v8.setFlagsFromString(flag);
  return applied;
}
