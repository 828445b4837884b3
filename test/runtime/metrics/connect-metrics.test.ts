import { afterEach, describe, expect, it } from 'vitest';
import { ConnectMetrics, type StatusView } from '../../../runtime/metrics/connect-metrics.js';
import { MetricsRegistry } from '../../../runtime/metrics/metrics-registry.js';
import type { TaskErrorMetrics } from '../../../runtime/pipeline/error-handling/error-metrics.js';
import { parseExposition, valueOf, type ParsedFamily } from './exposition-parser.js';

const ME = '127.0.0.1:8083';
const OTHER = '127.0.0.1:8084';

interface Stored {
  state: string;
  workerId: string;
}

class FakeStatuses implements StatusView {
  readonly connectorStatuses = new Map<string, Stored>();
  readonly taskStatuses = new Map<string, Map<number, Stored>>();

  connectors(): string[] {
    return [...this.connectorStatuses.keys()];
  }

  get(connector: string): Stored | undefined {
    return this.connectorStatuses.get(connector);
  }

  listForConnector(connector: string) {
    return [...(this.taskStatuses.get(connector) ?? new Map<number, Stored>())].map(([task, s]) => ({ task, ...s }));
  }

  put(connector: string, task: number | null, state: string, workerId = ME): void {
    if (task === null) {
      this.connectorStatuses.set(connector, { state, workerId });
      return;
    }
    const tasks = this.taskStatuses.get(connector) ?? new Map<number, Stored>();
    tasks.set(task, { state, workerId });
    this.taskStatuses.set(connector, tasks);
  }

  remove(connector: string): void {
    this.connectorStatuses.delete(connector);
    this.taskStatuses.delete(connector);
  }
}

let metrics: ConnectMetrics | undefined;
afterEach(() => metrics?.close());

function setup(options: { processMetrics?: boolean } = {}) {
  const clock = { now: 0 };
  const statuses = new FakeStatuses();
  const running: string[] = [];
  metrics = new ConnectMetrics({
    registry: new MetricsRegistry({ clock: () => clock.now }),
    processMetrics: options.processMetrics ?? false,
    appInfo: { version: '1.2.3', commitId: 'abc' },
  });
  metrics.bindWorker({
    workerId: ME,
    statuses,
    connectorNames: () => running,
    describeConnector: (name) => ({ className: `com.example.${name}`, type: 'source', version: '9' }),
  });
  const scrape = () => parseExposition(metrics!.exposition());
  return { metrics, statuses, running, clock, scrape };
}

function states(family: ParsedFamily | undefined, labels: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of family?.samples ?? []) {
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) out[s.labels.state!] = s.value;
  }
  return out;
}

describe('connector and task status gauges', () => {
  it('show 1 for the current state and 0 for every other state, and follow a pause', () => {
    const { statuses, scrape } = setup();
    statuses.put('orders', null, 'RUNNING');
    statuses.put('orders', 0, 'RUNNING');
    let parsed = scrape();
    expect(states(parsed.get('kafka_connect_connector_status'), { connector: 'orders' }))
      .toEqual({ unassigned: 0, running: 1, paused: 0, stopped: 0, failed: 0, restarting: 0 });
    expect(states(parsed.get('kafka_connect_connector_task_status'), { connector: 'orders', task: '0' })).toMatchObject({ running: 1, paused: 0 });

    statuses.put('orders', null, 'PAUSED');
    statuses.put('orders', 0, 'PAUSED');
    parsed = scrape();
    expect(states(parsed.get('kafka_connect_connector_status'), { connector: 'orders' })).toMatchObject({ running: 0, paused: 1 });
    expect(states(parsed.get('kafka_connect_connector_task_status'), { connector: 'orders', task: '0' })).toMatchObject({ running: 0, paused: 1 });
  });

  it('count a connector\'s tasks on this worker by state', () => {
    const { statuses, scrape } = setup();
    statuses.put('orders', null, 'RUNNING');
    statuses.put('orders', 0, 'RUNNING');
    statuses.put('orders', 1, 'FAILED');
    statuses.put('orders', 2, 'RUNNING');
    statuses.put('orders', 3, 'RUNNING', OTHER);
    const parsed = scrape();
    const count = (state: string) => valueOf(parsed, `kafka_connect_worker_connector_${state}_task_count`, { connector: 'orders' });
    expect([count('total'), count('running'), count('failed'), count('paused'), count('destroyed')]).toEqual([3, 2, 1, 0, 0]);
  });

  it('leave out statuses another worker wrote, and vanish with a deleted connector', () => {
    const { statuses, scrape } = setup();
    statuses.put('mine', null, 'RUNNING');
    statuses.put('theirs', null, 'RUNNING', OTHER);
    statuses.put('theirs', 0, 'RUNNING', OTHER);
    let parsed = scrape();
    expect(parsed.get('kafka_connect_connector_status')!.samples.every((s) => s.labels.connector === 'mine')).toBe(true);
    expect(parsed.get('kafka_connect_connector_task_status')!.samples).toEqual([]);
    expect(valueOf(parsed, 'kafka_connect_connector_info', { connector: 'mine' })).toBe(1);
    expect(parsed.get('kafka_connect_connector_info')!.samples[0]!.labels)
      .toEqual({ connector: 'mine', connector_class: 'com.example.mine', connector_type: 'source', connector_version: '9' });

    statuses.remove('mine');
    parsed = scrape();
    expect(parsed.get('kafka_connect_connector_status')!.samples).toEqual([]);
    expect(parsed.get('kafka_connect_connector_info')!.samples).toEqual([]);
  });

  it('report a state Kafka knows but ferry does not list as its own series', () => {
    const { statuses, scrape } = setup();
    statuses.put('old', null, 'DESTROYED');
    expect(states(scrape().get('kafka_connect_connector_status'), { connector: 'old' })).toMatchObject({ destroyed: 1, running: 0 });
  });
});

describe('task recorders', () => {
  it('count source polls, writes, batch sizes and poll time per task', () => {
    const { metrics, clock, scrape } = setup();
    const task = metrics.task({ connector: 'in', task: 0 }, 'source');
    let active = 7;
    task.watchActiveRecords(() => active);
    task.recordPoll(100, 20);
    task.recordPoll(50, 5);
    task.recordWrite(120);
    clock.now += 10;
    let parsed = scrape();
    const labels = { connector: 'in', task: '0' };
    expect(valueOf(parsed, 'kafka_connect_source_task_source_record_poll_total', labels)).toBe(150);
    expect(valueOf(parsed, 'kafka_connect_source_task_source_record_write_total', labels)).toBe(120);
    expect(valueOf(parsed, 'kafka_connect_source_task_poll_batch_seconds_count', labels)).toBe(2);
    expect(valueOf(parsed, 'kafka_connect_source_task_poll_batch_seconds_sum', labels)).toBeCloseTo(0.025);
    expect(valueOf(parsed, 'kafka_connect_source_task_poll_batch_seconds_max', labels)).toBeCloseTo(0.02);
    expect(valueOf(parsed, 'kafka_connect_connector_task_batch_size_max', labels)).toBe(100);
    expect(valueOf(parsed, 'kafka_connect_source_task_source_record_active_count', labels)).toBe(7);
    expect(valueOf(parsed, 'kafka_connect_sink_task_sink_record_read_total', labels)).toBeUndefined();
    expect(valueOf(parsed, 'kafka_connect_worker_task_count')).toBe(1);
    active = 0;
    parsed = scrape();
    expect(valueOf(parsed, 'kafka_connect_source_task_source_record_active_count', labels)).toBe(0);
  });

  it('count sink reads, puts, assigned partitions and commits per task', () => {
    const { metrics, scrape } = setup();
    const task = metrics.task({ connector: 'out', task: 2 }, 'sink');
    task.watchPartitionCount(() => 3);
    task.recordRead(500);
    task.recordPut(480, 40);
    task.recordOffsetCommit(12, true);
    task.recordOffsetCommit(30, false);
    const parsed = scrape();
    const labels = { connector: 'out', task: '2' };
    expect(valueOf(parsed, 'kafka_connect_sink_task_sink_record_read_total', labels)).toBe(500);
    expect(valueOf(parsed, 'kafka_connect_sink_task_sink_record_send_total', labels)).toBe(480);
    expect(valueOf(parsed, 'kafka_connect_sink_task_put_batch_seconds_sum', labels)).toBeCloseTo(0.04);
    expect(valueOf(parsed, 'kafka_connect_sink_task_partition_count', labels)).toBe(3);
    expect(valueOf(parsed, 'kafka_connect_connector_task_offset_commit_success_total', labels)).toBe(1);
    expect(valueOf(parsed, 'kafka_connect_connector_task_offset_commit_failure_total', labels)).toBe(1);
    expect(valueOf(parsed, 'kafka_connect_connector_task_offset_commit_seconds_count', labels)).toBe(1);
    expect(valueOf(parsed, 'kafka_connect_connector_task_offset_commit_seconds_sum', labels)).toBeCloseTo(0.012);
    expect(valueOf(parsed, 'kafka_connect_sink_task_offset_commit_completion_total', labels)).toBe(1);
  });

  it('expose the task\'s error-handling counters, zero until the task has an error handler', () => {
    const { metrics, scrape } = setup();
    const task = metrics.task({ connector: 'out', task: 0 }, 'sink');
    const labels = { connector: 'out', task: '0' };
    expect(valueOf(scrape(), 'kafka_connect_task_error_total_record_failures', labels)).toBe(0);
    const errors: TaskErrorMetrics = {
      'total-record-failures': 4, 'total-record-errors': 2, 'total-records-skipped': 2, 'total-retries': 2,
      'total-errors-logged': 1, 'deadletterqueue-produce-requests': 2, 'deadletterqueue-produce-failures': 0,
      'last-error-timestamp': 1_700_000_000_500,
    };
    task.watchErrors(() => errors);
    const parsed = scrape();
    expect(valueOf(parsed, 'kafka_connect_task_error_total_record_failures', labels)).toBe(4);
    expect(valueOf(parsed, 'kafka_connect_task_error_total_records_skipped', labels)).toBe(2);
    expect(valueOf(parsed, 'kafka_connect_task_error_deadletterqueue_produce_requests', labels)).toBe(2);
    expect(valueOf(parsed, 'kafka_connect_task_error_last_error_timestamp_seconds', labels)).toBe(1_700_000_000.5);
  });

  it('remove a task\'s series once its runner closed the recorder, but not a newer recorder\'s', () => {
    const { metrics, scrape } = setup();
    const old = metrics.task({ connector: 'in', task: 0 }, 'source');
    old.recordPoll(5, 1);
    const replacement = metrics.task({ connector: 'in', task: 0 }, 'source');
    replacement.recordPoll(1, 1);
    old.close();
    expect(valueOf(scrape(), 'kafka_connect_source_task_source_record_poll_total', { connector: 'in', task: '0' })).toBe(1);
    replacement.close();
    const parsed = scrape();
    expect(parsed.get('kafka_connect_source_task_source_record_poll_total')!.samples).toEqual([]);
    expect(valueOf(parsed, 'kafka_connect_worker_task_count')).toBe(0);
  });

  it('count task start attempts, successes and failures across tasks, beyond their removal', () => {
    const { metrics, scrape } = setup();
    const a = metrics.task({ connector: 'in', task: 0 }, 'source');
    a.startAttempted();
    a.startSucceeded();
    const b = metrics.task({ connector: 'in', task: 1 }, 'source');
    b.startAttempted();
    b.startFailed();
    a.close();
    b.close();
    const parsed = scrape();
    expect(valueOf(parsed, 'kafka_connect_worker_task_startup_attempts_total')).toBe(2);
    expect(valueOf(parsed, 'kafka_connect_worker_task_startup_success_total')).toBe(1);
    expect(valueOf(parsed, 'kafka_connect_worker_task_startup_failure_total')).toBe(1);
  });
});

describe('worker-wide metrics', () => {
  it('count the connectors this worker runs', () => {
    const { running, scrape } = setup();
    expect(valueOf(scrape(), 'kafka_connect_worker_connector_count')).toBe(0);
    running.push('a', 'b');
    expect(valueOf(scrape(), 'kafka_connect_worker_connector_count')).toBe(2);
  });

  it('show no rebalance on a single worker, and count one through the hooks', () => {
    const { metrics, clock, scrape } = setup();
    let parsed = scrape();
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_completed_rebalances_total')).toBe(0);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_rebalancing')).toBe(0);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_epoch')).toBe(-1);

    metrics.rebalance.started();
    expect(valueOf(scrape(), 'kafka_connect_worker_rebalance_rebalancing')).toBe(1);
    clock.now += 1500;
    metrics.rebalance.completed({ generation: 4, leader: 'worker-1', protocol: 'sessioned' });
    parsed = scrape();
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_rebalancing')).toBe(0);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_completed_rebalances_total')).toBe(1);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_epoch')).toBe(4);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_seconds_sum')).toBe(1.5);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_seconds_max')).toBe(1.5);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_info', { leader_name: 'worker-1', connect_protocol: 'sessioned' })).toBe(1);
    expect(valueOf(parsed, 'kafka_connect_worker_rebalance_last_completed_timestamp_seconds')).toBeGreaterThan(1_600_000_000);
  });

  it('include the version and process figures', () => {
    const { scrape } = setup({ processMetrics: true });
    const parsed = scrape();
    expect(valueOf(parsed, 'kafka_connect_app_info', { version: '1.2.3', commit_id: 'abc' })).toBe(1);
    expect(valueOf(parsed, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
    expect(valueOf(parsed, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(parsed.get('process_cpu_seconds_total')!.type).toBe('counter');
    expect(valueOf(parsed, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(parsed, 'process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('give every family a HELP and a TYPE line', () => {
    const { metrics, statuses, scrape } = setup({ processMetrics: true });
    statuses.put('c', null, 'RUNNING');
    statuses.put('c', 0, 'RUNNING');
    metrics.task({ connector: 'c', task: 0 }, 'source').recordPoll(1, 1);
    for (const family of scrape().values()) {
      expect(family.help, family.name).toBeTruthy();
      expect(family.type, family.name).toBeDefined();
    }
  });
});
