/**
 * Process figures under the names Prometheus client libraries use (`process_*`, `nodejs_*`):
 * CPU time, resident memory, heap, start time and event-loop lag. Lag comes from Node's
 * event-loop delay monitor (a 20 ms timer, measured minus its own period) and covers the time
 * since the previous scrape: each scrape reads and resets it.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Collector, MetricFamily } from './metric-family.js';

const LAG_RESOLUTION_MS = 20;
const NS_PER_S = 1e9;
const NO_LABELS = Object.freeze({});

export interface ProcessMetrics {
  readonly collect: Collector;
  /** Stops the event-loop delay monitor. */
  close(): void;
}

export function processMetrics(): ProcessMetrics {
  const startTimeSeconds = Math.round((Date.now() / 1000 - process.uptime()) * 1000) / 1000;
  let lag: IntervalHistogram | undefined = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const collect = (): MetricFamily[] => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const gauge = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'gauge', samples: [{ labels: NO_LABELS, value }] });
    const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', samples: [{ labels: NO_LABELS, value }] });
    const families = [
      counter('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', cpu.user / 1e6),
      counter('process_cpu_system_seconds_total', 'System CPU time spent, in seconds.', cpu.system / 1e6),
      counter('process_cpu_seconds_total', 'User and system CPU time spent, in seconds.', (cpu.user + cpu.system) / 1e6),
      gauge('process_resident_memory_bytes', 'Resident memory size, in bytes.', memory.rss),
      gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.', startTimeSeconds),
      gauge('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes.', memory.heapTotal),
      gauge('nodejs_heap_size_used_bytes', 'V8 heap used, in bytes.', memory.heapUsed),
      gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript objects, in bytes.', memory.external),
    ];
    if (lag !== undefined) {
      const measured = lag.count > 0;
      const overPeriod = (ns: number) => (measured ? Math.max(0, ns / NS_PER_S - LAG_RESOLUTION_MS / 1000) : 0);
      families.push(
        gauge('nodejs_eventloop_lag_seconds', 'Mean event-loop lag since the previous scrape, in seconds.', overPeriod(lag.mean)),
        gauge('nodejs_eventloop_lag_max_seconds', 'Largest event-loop lag since the previous scrape, in seconds.', overPeriod(lag.max)),
        gauge('nodejs_eventloop_lag_p99_seconds', '99th percentile of event-loop lag since the previous scrape, in seconds.', overPeriod(lag.percentile(99))),
      );
      lag.reset();
    }
    return families;
  };
  return {
    collect,
    close: () => {
      lag?.disable();
      lag = undefined;
    },
  };
}
