/** Result records of the REST benchmark, the printed tables, and the JSON file. */
import fs from 'node:fs';
import path from 'node:path';
import { textTable } from '../text-table.js';

export type LoadClient = 'node:http' | 'raw' | 'wrk';

export interface LatencyFigures {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  /** Not from wrk, which does not print it. */
  p999?: number;
  max: number;
}

export interface LoadRun {
  id: string;
  /** `bare node:http` (the baseline) or the ferry phase's label. */
  server: string;
  baseline: boolean;
  client: LoadClient;
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSec: number;
  /** Milliseconds, from the request call to the last byte of the body. */
  latencyMs: LatencyFigures;
  /** Mean response body bytes (not from wrk). */
  bodyBytes: number | null;
  /** The server process's CPU time over wall time, in % of one core. */
  serverCpuPercent: number;
  /** Server CPU microseconds per request: unlike requests/s, barely moved by other load on the machine. */
  serverCpuMicrosPerRequest: number;
  serverRssBytes: number;
  /** Largest VmRSS sampled every 250 ms during the run. */
  serverPeakRssBytes: number;
  /** The load generator's CPU time over wall time (this process; not measured for wrk), in % of one core. */
  clientCpuPercent: number | null;
  /** os.loadavg()[0] just before the run. */
  loadAverage: number;
  /** Against the baseline run with the same client and concurrency. */
  vsBaseline: { requestsPerSec: number; p99: number; cpuMicrosPerRequest: number } | null;
}

export interface FerryPhase {
  label: string;
  args: string[];
  /** Seconds from spawn to the `ferry is ready` log line. */
  startSeconds: number;
  /** Seconds to create the connectors over REST (null when they were already there, from an earlier phase). */
  createSeconds: number | null;
  /** Seconds from ready (or the first create) until every connector reported its state. */
  statusesSeconds: number;
  /** CPU % of one core over a few idle seconds with every connector in place, before any load. */
  idleCpuPercent: number;
  idleRssBytes: number;
  rssAfterLoadBytes: number;
  /** VmHWM at the end of the phase. */
  peakRssBytes: number;
}

export interface RestReport {
  startedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    wrk: string | null;
    loadAverage: { start: number; end: number };
  };
  setup: Record<string, string | number | boolean>;
  phases: FerryPhase[];
  runs: LoadRun[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const msText = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));


export function formatReport(r: RestReport): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`ferry REST benchmark  ${r.startedAt}`);
  out.push(`machine: ${m.cpus} CPUs (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, node ${m.node}, wrk ${m.wrk ?? 'missing'}, `
    + `load average ${m.loadAverage.start.toFixed(1)} at start, ${m.loadAverage.end.toFixed(1)} at end`);
  out.push(`setup: ${Object.entries(r.setup).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  out.push('');
  out.push('ferry processes:');
  out.push(textTable(
    ['ferry', 'start s', 'create s', 'statuses s', 'idle CPU', 'idle RSS', 'RSS after load', 'peak RSS'],
    r.phases.map((p) => [
      p.label, p.startSeconds.toFixed(2), p.createSeconds === null ? '-' : p.createSeconds.toFixed(2), p.statusesSeconds.toFixed(2),
      `${p.idleCpuPercent.toFixed(1)}%`, mb(p.idleRssBytes), mb(p.rssAfterLoadBytes), mb(p.peakRssBytes),
    ]),
    [false, true, true, true, true, true, true, true],
  ));
  out.push('');
  out.push('GET /connectors/{name}/status, round robin over every connector, closed loop:');
  out.push(textTable(
    ['server', 'client', 'conc', 'requests', 'req/s', 'vs bare', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'p99 vs bare',
      'errors', 'body B', 'server CPU', 'CPU µs/req', 'µs/req vs bare', 'peak RSS', 'client CPU', 'load'],
    r.runs.map((x) => [
      x.server, x.client, String(x.concurrency), int(x.requests), int(x.requestsPerSec),
      x.vsBaseline ? `${(x.vsBaseline.requestsPerSec * 100).toFixed(1)}%` : '-',
      msText(x.latencyMs.p50), msText(x.latencyMs.p90), msText(x.latencyMs.p99), msText(x.latencyMs.p999), msText(x.latencyMs.max),
      x.vsBaseline ? `${x.vsBaseline.p99.toFixed(2)}x` : '-',
      int(x.errors), x.bodyBytes === null ? '-' : int(x.bodyBytes),
      `${x.serverCpuPercent.toFixed(0)}%`, x.serverCpuMicrosPerRequest.toFixed(1),
      x.vsBaseline ? `${x.vsBaseline.cpuMicrosPerRequest.toFixed(2)}x` : '-',
      mb(x.serverPeakRssBytes), x.clientCpuPercent === null ? '-' : `${x.clientCpuPercent.toFixed(0)}%`, x.loadAverage.toFixed(1),
    ]),
    [false, false, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true],
  ));
  out.push('');
  out.push('vs bare = ferry\'s requests/s over the bare node:http server\'s (same client, same concurrency, same body size);');
  out.push('p99 vs bare = ferry\'s p99 over the bare server\'s; latency is from the request call to the last body byte;');
  out.push('CPU = CPU time / wall time, 100% = one core; CPU µs/req = server CPU time per request (the figure to compare under load);');
  out.push(`client CPU = the load generator's own CPU; load = 1-minute load average before the run (${m.cpus} cores: above ${m.cpus} means contention).`);
  out.push('');
  out.push('headline:');
  for (const x of r.runs.filter((run) => !run.baseline)) {
    out.push(`  ${x.server}, ${x.client} client, concurrency ${x.concurrency}: ${int(x.requestsPerSec)} requests/s, p99 ${msText(x.latencyMs.p99)} ms`
      + (x.vsBaseline ? ` (${(x.vsBaseline.requestsPerSec * 100).toFixed(0)}% of the bare server's requests/s, p99 ${x.vsBaseline.p99.toFixed(1)}x)` : ''));
  }
  return out.join('\n');
}

export function writeJson(file: string, report: RestReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
