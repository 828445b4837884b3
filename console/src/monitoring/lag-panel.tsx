/**
 * A sink connector's consumer lag per partition (GET /connectors/{c}/lag), refreshed every
 * REFRESH_MS, with the total in the table's footer and above it. Renders nothing for
 * connectors that are not sinks.
 */
import { useCallback } from 'preact/hooks';
import { connectorLag } from '../api/monitoring.js';
import { errorText } from '../api/rest-client.js';
import { RefreshIndicator } from '../components/refresh-indicator.js';
import { usePolling } from '../components/use-polling.js';
import { formatCount } from './format.js';
import { visuallyHidden } from './visually-hidden.js';

const REFRESH_MS = 5_000;

export function LagPanel({ connector }: { connector: string }) {
  const load = useCallback(() => connectorLag(connector), [connector]);
  const lag = usePolling(load, REFRESH_MS, connector);
  const data = lag.data;
  if (data && data.type !== 'sink') return null;
  const headingId = `lag-heading-${connector}`;
  return (
    <section class="section lag-panel" aria-labelledby={headingId}>
      <div class="section-head">
        <h2 id={headingId}>Consumer lag</h2>
        <RefreshIndicator updatedAt={lag.updatedAt} stale={lag.stale} error={lag.error} />
      </div>
      {data === undefined ? (
        lag.error ? <p class="error-text" role="alert">Could not load the consumer lag: {errorText(lag.error)}</p> : <p class="muted">Loading…</p>
      ) : (
        <>
          <p>
            Total lag <strong data-testid="lag-total">{formatCount(data.total_lag)}</strong> {data.total_lag === 1 ? 'record' : 'records'}
            {data.group !== null && <> · consumer group <code>{data.group}</code></>}
          </p>
          {data.partitions.length === 0 ? (
            <p class="muted">No partitions: the topics this sink subscribes to do not exist yet.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption style={visuallyHidden}>Consumer lag</caption>
                <thead>
                  <tr>
                    <th scope="col">Topic</th>
                    <th scope="col" class="num">Partition</th>
                    <th scope="col" class="num">Committed offset</th>
                    <th scope="col" class="num">End offset</th>
                    <th scope="col" class="num">Lag</th>
                  </tr>
                </thead>
                <tbody>
                  {data.partitions.map((p) => (
                    <tr key={`${p.topic}:${p.partition}`}>
                      <td class="wrap">{p.topic}</td>
                      <td class="num">{p.partition}</td>
                      <td class="num" title={p.committed_offset === null ? 'Nothing committed yet: counted from the log start' : undefined}>
                        {p.committed_offset === null ? 'none' : formatCount(p.committed_offset)}
                      </td>
                      <td class="num">{formatCount(p.end_offset)}</td>
                      <td class="num">{formatCount(p.lag)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={4}>Total</th>
                    <td class="num"><strong>{formatCount(data.total_lag)}</strong></td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
