/**
 * The console's throughput figures from /metrics text: parsing the exposition format as the
 * worker renders it (runtime/metrics), summing each connector's tasks, and records per second
 * between scrapes, including a task restart (its counter starts again at 0) and a connector
 * whose tasks are not on this worker.
 */
import { describe, expect, it } from 'vitest';
import {
  parsePrometheusText, SINK_RECORDS_METRIC, SOURCE_RECORDS_METRIC, taskRecordCounters, ThroughputHistory, type TaskCounters,
} from '../../../console/src/api/metrics.js';
import { renderExposition } from '../../../runtime/metrics/exposition-format.js';

function scrape(tasks: Record<string, Record<string, number>>, metric = SOURCE_RECORDS_METRIC): string {
  return renderExposition([{
    name: metric, help: 'Records', type: 'counter',
    samples: Object.entries(tasks).flatMap(([connector, byTask]) => Object.entries(byTask).map(([task, value]) => ({ labels: { connector, task }, value }))),
  }]);
}

function counters(text: string): TaskCounters {
  return taskRecordCounters(parsePrometheusText(text));
}

describe('parsePrometheusText', () => {
  it('reads what the worker renders: labels with escaped quotes, backslashes and newlines, special values, comments skipped', () => {
    const text = renderExposition([
      { name: 'a_total', help: 'with "quotes"\nand a newline', type: 'counter', samples: [{ labels: { connector: 'we"ird\\na\nme', task: '0' }, value: 12 }] },
      { name: 'b', help: 'gauge', type: 'gauge', samples: [{ labels: {}, value: Infinity }, { labels: { x: '' }, value: 1.5 }] },
    ]);
    expect(parsePrometheusText(text)).toEqual([
      { name: 'a_total', labels: { connector: 'we"ird\\na\nme', task: '0' }, value: 12 },
      { name: 'b', labels: {}, value: Infinity },
      { name: 'b', labels: { x: '' }, value: 1.5 },
    ]);
  });

  it('skips lines it cannot read instead of failing', () => {
    expect(parsePrometheusText('garbage line here\nok 3\nbad{x="unterminated} 4\n')).toEqual([{ name: 'ok', labels: {}, value: 3 }]);
  });
});

describe('taskRecordCounters', () => {
  it('keeps the source write and sink send counters per connector and task, nothing else', () => {
    const text = scrape({ src: { 0: 10, 1: 5 } }) + scrape({ snk: { 0: 7 } }, SINK_RECORDS_METRIC)
      + scrape({ src: { 0: 999 } }, 'kafka_connect_source_task_source_record_poll_total');
    expect(counters(text)).toEqual(new Map([['src', new Map([['0', 10], ['1', 5]])], ['snk', new Map([['0', 7]])]]));
  });
});

describe('ThroughputHistory', () => {
  it('gives records per second over the connector\'s tasks between two scrapes', () => {
    const history = new ThroughputHistory();
    history.add(1_000, counters(scrape({ src: { 0: 100, 1: 50 } })));
    expect(history.current('src')).toBeNull();
    expect(history.runsHere('src')).toBe(true);
    history.add(3_000, counters(scrape({ src: { 0: 160, 1: 90 } })));
    expect(history.current('src')).toBe(50);
    history.add(4_000, counters(scrape({ src: { 0: 160, 1: 90 } })));
    expect(history.current('src')).toBe(0);
    expect(history.history('src')).toEqual([{ at: 3_000, recordsPerSecond: 50 }, { at: 4_000, recordsPerSecond: 0 }]);
  });

  it('counts a restarted task from 0 and a new task from its second scrape', () => {
    const history = new ThroughputHistory();
    history.add(0, counters(scrape({ c: { 0: 500 } })));
    history.add(1_000, counters(scrape({ c: { 0: 20, 1: 1_000 } })));
    expect(history.current('c')).toBe(20);
    history.add(2_000, counters(scrape({ c: { 0: 30, 1: 1_010 } })));
    expect(history.current('c')).toBe(20);
  });

  it('has no current rate for a connector missing from the last scrape, and forgets it after a history\'s length', () => {
    const history = new ThroughputHistory(3);
    history.add(0, counters(scrape({ c: { 0: 0 } })));
    history.add(1_000, counters(scrape({ c: { 0: 10 } })));
    history.add(2_000, counters(scrape({ other: { 0: 1 } })));
    expect(history.current('c')).toBeNull();
    expect(history.runsHere('c')).toBe(false);
    expect(history.history('c')).toHaveLength(1);
    history.add(3_000, counters(scrape({ other: { 0: 2 } })));
    history.add(4_000, counters(scrape({ other: { 0: 3 } })));
    expect(history.history('c')).toEqual([]);
  });

  it('keeps the last points only and ignores a scrape older than the previous one', () => {
    const history = new ThroughputHistory(2);
    for (let i = 0; i <= 4; i++) history.add(i * 1_000, counters(scrape({ c: { 0: i * i } })));
    history.add(500, counters(scrape({ c: { 0: 0 } })));
    expect(history.history('c')).toEqual([{ at: 3_000, recordsPerSecond: 5 }, { at: 4_000, recordsPerSecond: 7 }]);
  });
});
