/**
 * A connector's records/s for a row of the overview, with a tiny sparkline of the last
 * minutes; from the shared /metrics polling (throughput-store.ts), so a table of many rows
 * still makes one request per interval.
 */
import { formatRate } from './format.js';
import { useThroughput } from './throughput-store.js';
import { niceMax } from './throughput-chart.js';

const WIDTH = 60;
const HEIGHT = 16;
const SPARK_POINTS = 30;

export function ThroughputCell({ connector }: { connector: string }) {
  const throughput = useThroughput(connector);
  if (!throughput.loaded) return <span class="throughput-cell muted">…</span>;
  if (!throughput.runsHere) {
    return <span class="throughput-cell muted" title="No task of this connector runs on the worker serving this console">—</span>;
  }
  const points = throughput.history.slice(-SPARK_POINTS);
  const top = niceMax(Math.max(0, ...points.map((p) => p.recordsPerSecond)));
  const line = points.map((p, i) => {
    const x = points.length === 1 ? WIDTH : (i / (points.length - 1)) * WIDTH;
    const y = HEIGHT - (p.recordsPerSecond / top) * HEIGHT;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  }).join(' ');
  return (
    <span class="throughput-cell" title="Records per second on this worker, from /metrics"
      style={{ display: 'inline-flex', alignItems: 'center', gap: '0.4rem', whiteSpace: 'nowrap' }}>
      <span data-testid="throughput-cell">{formatRate(throughput.current)} rec/s</span>
      {points.length > 1 && (
        <svg aria-hidden="true" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} style={{ overflow: 'visible' }}>
          <polyline points={line} fill="none" style={{ stroke: 'var(--chart-1)', strokeWidth: 1.5 }} />
        </svg>
      )}
    </span>
  );
}
