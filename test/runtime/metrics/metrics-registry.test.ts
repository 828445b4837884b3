import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../../runtime/metrics/metrics-registry.js';
import { SummaryStat } from '../../../runtime/metrics/summary-stat.js';
import { parseExposition, valueOf } from './exposition-parser.js';

function manualClock(start = 0) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

describe('MetricsRegistry', () => {
  it('shows an unlabelled counter at 0 before its first increment, and counts up', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'things_total', help: 'Things.' });
    expect(valueOf(parseExposition(registry.exposition()), 'things_total')).toBe(0);
    counter.inc();
    counter.inc(4);
    expect(valueOf(parseExposition(registry.exposition()), 'things_total')).toBe(5);
    expect(() => counter.inc(-1)).toThrow(/only goes up/);
  });

  it('keeps one series per label set and drops the series of a removed label set', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'records_total', help: 'Records.', labelNames: ['connector', 'task'] });
    const a0 = counter.labels({ connector: 'a', task: '0' });
    a0.inc(2);
    counter.labels({ connector: 'a', task: '1' }).inc(3);
    counter.labels({ connector: 'b', task: '0' }).inc(7);
    expect(counter.labels({ task: '0', connector: 'a' })).toBe(a0);

    counter.removeMatching({ connector: 'a' });
    const parsed = parseExposition(registry.exposition());
    expect(parsed.get('records_total')!.samples).toEqual([{ name: 'records_total', labels: { connector: 'b', task: '0' }, value: 7 }]);
  });

  it('insists on exactly the declared labels', () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'g', help: 'h', labelNames: ['connector'] });
    expect(() => gauge.labels({})).toThrow(/takes labels/);
    expect(() => gauge.labels({ connector: 'a', task: '0' })).toThrow(/takes labels/);
    expect(() => gauge.set(1)).toThrow(/use labels/);
  });

  it('returns the same metric when declared twice alike and refuses a conflicting declaration', () => {
    const registry = new MetricsRegistry();
    const first = registry.counter({ name: 'c_total', help: 'h' });
    expect(registry.counter({ name: 'c_total', help: 'h' })).toBe(first);
    expect(() => registry.gauge({ name: 'c_total', help: 'h' })).toThrow(/already registered/);
    registry.summary({ name: 'op_seconds', help: 'h' });
    expect(() => registry.gauge({ name: 'op_seconds_max', help: 'h' })).toThrow(/already taken/);
  });

  it('exposes a summary as count and sum plus a _max gauge', () => {
    const clock = manualClock();
    const registry = new MetricsRegistry({ clock: clock.read, maxWindowMs: 1000 });
    const summary = registry.summary({ name: 'op_seconds', help: 'Ops.', labelNames: ['kind'] });
    const child = summary.labels({ kind: 'x' });
    child.observe(0.5);
    child.observe(2);
    const parsed = parseExposition(registry.exposition());
    expect(parsed.get('op_seconds')!.type).toBe('summary');
    expect(valueOf(parsed, 'op_seconds_sum', { kind: 'x' })).toBe(2.5);
    expect(valueOf(parsed, 'op_seconds_count', { kind: 'x' })).toBe(2);
    expect(parsed.get('op_seconds_max')!.type).toBe('gauge');
    expect(valueOf(parsed, 'op_seconds_max', { kind: 'x' })).toBe(2);
  });

  it('merges families a collector adds to a declared one and rejects a collector that changes its type', () => {
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'g', help: 'h', labelNames: ['k'] }).labels({ k: 'declared' }).set(1);
    const remove = registry.addCollector(() => [{ name: 'g', help: 'h', type: 'gauge', samples: [{ labels: { k: 'collected' }, value: 2 }] }]);
    expect(parseExposition(registry.exposition()).get('g')!.samples.map((s) => s.labels.k)).toEqual(['declared', 'collected']);
    remove();
    expect(parseExposition(registry.exposition()).get('g')!.samples).toHaveLength(1);
    registry.addCollector(() => [{ name: 'g', help: 'h', type: 'counter', samples: [] }]);
    expect(() => registry.exposition()).toThrow(/both a gauge and a counter/);
  });
});

describe('SummaryStat', () => {
  it('reports the largest value of the current and previous window, then lets a spike decay to 0', () => {
    const clock = manualClock(1000);
    const stat = new SummaryStat(clock.read, 100);
    stat.observe(9);
    stat.observe(4);
    expect(stat.max).toBe(9);
    clock.now += 150;
    stat.observe(3);
    expect(stat.max).toBe(9);
    clock.now += 100;
    expect(stat.max).toBe(3);
    clock.now += 250;
    expect(stat.max).toBe(0);
    expect([stat.count, stat.sum]).toEqual([3, 16]);
  });
});
