/**
 * Records per second of one connector over the last minutes, as a small SVG line chart with
 * the current value as text. The figures come from the shared /metrics polling
 * (throughput-store.ts) and cover the connector's tasks on the worker serving the console.
 */
import type { ThroughputPoint } from '../api/metrics.js';
import { errorText } from '../api/rest-client.js';
import { formatRate } from './format.js';
import { POLL_INTERVAL_MS, useThroughput } from './throughput-store.js';
import { HISTORY_POINTS } from '../api/metrics.js';

const WIDTH = 600;
const HEIGHT = 120;
const WINDOW_MS = HISTORY_POINTS * POLL_INTERVAL_MS;

/** A y-axis top that reads well: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function linePath(points: readonly ThroughputPoint[], end: number, top: number): string {
  const start = end - WINDOW_MS;
  return points
    .filter((p) => p.at >= start)
    .map((p, i) => {
      const x = ((p.at - start) / WINDOW_MS) * WIDTH;
      const y = HEIGHT - (p.recordsPerSecond / top) * HEIGHT;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

export function ThroughputChart({ connector }: { connector: string }) {
  const throughput = useThroughput(connector);
  const points = throughput.history;
  const end = points.length > 0 ? points[points.length - 1]!.at : Date.now();
  const top = niceMax(Math.max(0, ...points.map((p) => p.recordsPerSecond)));
  const minutes = Math.round(WINDOW_MS / 60_000);
  const headingId = `throughput-heading-${connector}`;
  const now = throughput.current;
  let note: string | null = null;
  if (throughput.error) note = `Could not read /metrics: ${errorText(throughput.error)}`;
  else if (!throughput.loaded) note = 'Reading the worker\'s metrics…';
  else if (!throughput.runsHere) note = 'No task of this connector runs on the worker serving this console, so its /metrics has no figures for it.';
  else if (now === null) note = 'The first rate shows after the second reading of /metrics.';
  const path = linePath(points, end, top);
  const label = `Records per second of ${connector} over the last ${minutes} minutes`
    + (now === null ? '' : `; now ${formatRate(now)} records per second`);
  return (
    <section class="section throughput-chart" aria-labelledby={headingId}>
      <div class="section-head">
        <h2 id={headingId}>Throughput</h2>
        <span class="muted">records/s on this worker, from /metrics</span>
      </div>
      <div class="card">
        <p style={{ margin: '0 0 0.5rem' }}>
          <span class="muted">Now </span>
          <strong data-testid="throughput-current" style={{ fontSize: '1.4rem' }}>{formatRate(now)}</strong> records/s
        </p>
        <div style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '0 0.5rem', alignItems: 'stretch' }}>
          <div class="muted" aria-hidden="true" style={{ display: 'flex', flexDirection: 'column', justifyContent: 'space-between', fontSize: '0.75rem', textAlign: 'right' }}>
            <span>{formatRate(top)}</span>
            <span>0</span>
          </div>
          <svg role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none"
            style={{ width: '100%', height: '8rem', display: 'block', overflow: 'visible' }}>
            <title>{label}</title>
            {[0, 0.5, 1].map((f) => (
              <line key={f} x1={0} x2={WIDTH} y1={HEIGHT * f} y2={HEIGHT * f} vector-effect="non-scaling-stroke"
                style={{ stroke: 'var(--border)', strokeWidth: 1, strokeDasharray: f === 1 ? undefined : '4 4' }} />
            ))}
            {path !== '' && (
              <path d={path} fill="none" vector-effect="non-scaling-stroke" stroke-linejoin="round"
                style={{ stroke: 'var(--chart-1)', strokeWidth: 2 }} />
            )}
          </svg>
          <span />
          <div class="muted" aria-hidden="true" style={{ display: 'flex', justifyContent: 'space-between', fontSize: '0.75rem' }}>
            <span>−{minutes} min</span>
            <span>now</span>
          </div>
        </div>
        {note && <p class="muted" style={{ margin: '0.5rem 0 0' }}>{note}</p>}
      </div>
    </section>
  );
}
