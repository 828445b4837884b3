/**
 * A sink's total consumer lag for a row of the overview, refreshed every REFRESH_MS. Renders
 * nothing for connectors that are not sinks: given `type`, it does not even ask; otherwise it
 * stops asking once the first answer says the connector is not a sink.
 */
import { useCallback, useRef } from 'preact/hooks';
import { connectorLag, type ConnectorLag } from '../api/monitoring.js';
import { errorText } from '../api/rest-client.js';
import type { ConnectorType } from '../api/types.js';
import { usePolling } from '../components/use-polling.js';
import { formatCount } from './format.js';

const REFRESH_MS = 10_000;

export function LagSummary({ connector, type }: { connector: string; type?: ConnectorType }) {
  const notASink = useRef<ConnectorLag | null>(null);
  const load = useCallback(
    () => (notASink.current ? Promise.resolve(notASink.current) : connectorLag(connector).then((lag) => {
      if (lag.type !== 'sink') notASink.current = lag;
      return lag;
    })),
    [connector],
  );
  if (type !== undefined && type !== 'sink') return null;
  return <SinkLagSummary connector={connector} load={load} />;
}

function SinkLagSummary({ connector, load }: { connector: string; load: () => Promise<ConnectorLag> }) {
  const lag = usePolling(load, REFRESH_MS, connector);
  const data = lag.data;
  if (data === undefined) {
    return lag.error ? <span class="lag-summary muted" title={`Could not load the lag: ${errorText(lag.error)}`}>?</span> : null;
  }
  if (data.type !== 'sink' || data.total_lag === null) return null;
  const title = `Consumer lag of group ${data.group ?? ''}: ${formatCount(data.total_lag)} records over ${data.partitions.length} partitions`
    + (lag.stale ? ` (stale: ${errorText(lag.error)})` : '');
  return (
    <span class="lag-summary" title={title} data-testid="lag-summary">
      {formatCount(data.total_lag)}<span class="muted"> lag</span>
    </span>
  );
}
