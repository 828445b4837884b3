/**
 * Records per second of one connector over the last minutes, as a small SVG line chart with
 * the current value as text. The figures come from the shared /metrics polling
 * (throughput-store.ts) and cover the connector's tasks on the worker serving the console.
 */
import type { ThroughputPoint } from '../api/metrics.js';
import { errorText } from '../api/rest-client.js';
import { HISTORY_POINTS } from '../api/metrics.js';
import { formatRate } from './format.js';
import { POLL_INTERVAL_MS, useThroughput } from './throughput-store.js';

const WIDTH = 600;
const HEIGHT = 120;
const WINDOW_MS = HISTORY_POINTS * POLL_INTERVAL_MS;
const MIN_SPAN_MS = 60_000;

/** A y-axis top that reads well: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Keeps the line off the chart's edges, so a rate of 0 does not hide under the axis. */
const INSET = 3;

/**
 * The time span the chart shows: the history's, at least MIN_SPAN_MS (so the first points do
 * not fill the width) and at most WINDOW_MS.
 */
function spanOf(points: readonly ThroughputPoint[], end: number): number {
  const first = points[0]?.at ?? end;
  return Math.min(WINDOW_MS, Math.max(MIN_SPAN_MS, end - first));
}

/** The points inside the span ending at `end`, in chart coordinates. */
function chartPoints(points: readonly ThroughputPoint[], end: number, span: number, top: number): { x: number; y: number }[] {
  const start = end - span;
  return points
    .filter((p) => p.at >= start)
    .map((p) => ({ x: ((p.at - start) / span) * WIDTH, y: HEIGHT - INSET - (p.recordsPerSecond / top) * (HEIGHT - 2 * INSET) }));
}

function spanText(ms: number): string {
  return ms >= 90_000 ? `−${Math.round(ms / 60_000)} min` : `−${Math.round(ms / 1000)} s`;
}

export function ThroughputChart({ connector }: { connector: string }) {
  const throughput = useThroughput(connector);
  const points = throughput.history;
  const end = points.length > 0 ? points[points.length - 1]!.at : Date.now();
  const top = niceMax(Math.max(0, ...points.map((p) => p.recordsPerSecond)));
  const span = spanOf(points, end);
  const headingId = `throughput-heading-${connector}`;
  const now = throughput.current;
  let note: string | null = null;
  if (throughput.error) note = `Could not read /metrics: ${errorText(throughput.error)}`;
  else if (!throughput.loaded) note = 'Reading the worker\'s metrics…';
  else if (!throughput.runsHere) note = 'No task of this connector runs on the worker serving this console, so its /metrics has no figures for it.';
  else if (now === null) note = 'The first rate shows after the second reading of /metrics.';
  const plotted = chartPoints(points, end, span, top);
  const path = plotted.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  const last = plotted[plotted.length - 1];
  const label = `Records per second of ${connector} over the last ${spanText(span).slice(1)}`
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
              <line key={f} x1={0} x2={WIDTH} y1={INSET + (HEIGHT - 2 * INSET) * f} y2={INSET + (HEIGHT - 2 * INSET) * f} vector-effect="non-scaling-stroke"
                style={{ stroke: 'var(--border)', strokeWidth: 1, strokeDasharray: f === 1 ? undefined : '4 4' }} />
            ))}
            {plotted.length > 1 && (
              <path d={path} fill="none" vector-effect="non-scaling-stroke" stroke-linejoin="round"
                style={{ stroke: 'var(--chart-1)', strokeWidth: 2 }} />
            )}
            {last && (
              <line x1={last.x} x2={last.x} y1={last.y} y2={last.y} vector-effect="non-scaling-stroke" stroke-linecap="round"
                style={{ stroke: 'var(--chart-1)', strokeWidth: 6 }} />
            )}
          </svg>
          <span />
          <div class="muted" aria-hidden="true" style={{ display: 'flex', justifyContent: 'space-between', fontSize: '0.75rem' }}>
            <span>{spanText(span)}</span>
            <span>now</span>
          </div>
        </div>
        {note && <p class="muted" style={{ margin: '0.5rem 0 0' }}>{note}</p>}
      </div>
    </section>
  );
}
