/**
 * One connector: header with its type, class, holistic state, worker and the connector-level
 * trace when it failed; the lifecycle actions; its tasks; topics; offsets (with reset); and its
 * config with secrets masked. Status and info are refreshed every 2 s.
 */
import { useCallback } from 'preact/hooks';
import { holisticState, shortClass } from '../../api/connector-summary.js';
import { errorText, rest, RestError, seg } from '../../api/rest-client.js';
import type { ConnectorInfo, ConnectorStatus } from '../../api/types.js';
import { RefreshIndicator } from '../../components/refresh-indicator.js';
import { StateBadge } from '../../components/state-badge.js';
import { TraceView } from '../../components/trace-view.js';
import { usePolling } from '../../components/use-polling.js';
import { LagPanel, ThroughputChart } from '../../monitoring/index.js';
import { Link } from '../../router.js';
import { ConfigView } from './config-view.js';
import { useConfigDefinitions } from './config-table.js';
import { ConnectorActions } from './connector-actions.js';
import { OffsetsSection } from './offsets-section.js';
import { TasksTable } from './tasks-table.js';
import { TopicsSection } from './topics-section.js';

const REFRESH_MS = 2000;

interface Loaded {
  info: ConnectorInfo;
  status: ConnectorStatus;
}

function isNotFound(error: unknown): boolean {
  return error instanceof RestError && error.status === 404;
}

export function ConnectorPage({ name }: { name: string }) {
  const load = useCallback(async (): Promise<Loaded> => {
    const [info, status] = await Promise.all([
      rest.get<ConnectorInfo>(`/connectors/${seg(name)}`),
      rest.get<ConnectorStatus>(`/connectors/${seg(name)}/status`),
    ]);
    return { info, status };
  }, [name]);
  const polled = usePolling(load, REFRESH_MS, name);
  const refresh = () => { void polled.refresh(); };
  const kinds = useConfigDefinitions(polled.data?.info.config ?? {});

  if (polled.data === undefined) {
    return (
      <section aria-labelledby="connector-heading">
        <h1 id="connector-heading">{name}</h1>
        {polled.error === null ? <p class="muted">Loading…</p> : (
          <div class="banner bad" role="alert">
            <p>{isNotFound(polled.error) ? `There is no connector named ${name}.` : `The connector could not be loaded: ${errorText(polled.error)}`}</p>
            <p><Link to="/">Back to the connectors</Link></p>
          </div>
        )}
      </section>
    );
  }

  const { info, status } = polled.data;
  const holistic = holisticState(status);
  const className = info.config['connector.class'] ?? '';
  const running = status.tasks.filter((task) => task.state === 'RUNNING').length;
  const failed = status.tasks.filter((task) => task.state === 'FAILED').length;

  return (
    <section aria-labelledby="connector-heading">
      <nav aria-label="Breadcrumb" class="breadcrumb"><Link to="/">Connectors</Link> <span aria-hidden="true">/</span></nav>
      <div class="page-head">
        <div>
          <h1 id="connector-heading">{name}</h1>
          <RefreshIndicator updatedAt={polled.updatedAt} stale={polled.stale} error={polled.error} />
        </div>
        <div class="toolbar">
          <ConnectorActions name={name} state={status.connector.state} onChanged={refresh} />
          <Link to={`/connectors/${encodeURIComponent(name)}/edit`} class="button">Edit</Link>
        </div>
      </div>

      {isNotFound(polled.error) && (
        <div class="banner warn" role="alert">This connector no longer exists on the worker; what is shown is its last known state.</div>
      )}

      <dl class="facts card">
        <div><dt>State</dt><dd><StateBadge state={holistic.state} /> <span class="muted">{holistic.reason}</span></dd></div>
        <div><dt>Connector state</dt><dd><StateBadge state={status.connector.state} /></dd></div>
        <div><dt>Type</dt><dd>{info.type}</dd></div>
        <div><dt>Class</dt><dd title={className}>{shortClass(className)}<div class="muted mono small-text">{className !== shortClass(className) ? className : ''}</div></dd></div>
        <div><dt>Worker</dt><dd class="mono">{status.connector.worker_id || '—'}</dd></div>
        <div><dt>Tasks</dt><dd>{running}/{status.tasks.length} running{failed > 0 && <span class="failed-count"> · {failed} failed</span>}</dd></div>
      </dl>

      {status.connector.trace && (
        <div class="banner bad section" role="region" aria-label="Connector failure">
          <h2>The connector failed</h2>
          <TraceView trace={status.connector.trace} label="the connector" />
        </div>
      )}

      <TasksTable name={name} tasks={status.tasks} kinds={kinds} onChanged={refresh} />
      <div class="grid-2 section">
        <ThroughputChart connector={name} />
        {info.type === 'sink' && <LagPanel connector={name} />}
      </div>
      <TopicsSection name={name} />
      <OffsetsSection name={name} connectorState={status.connector.state} />
      <ConfigView name={name} config={info.config} kinds={kinds} />
    </section>
  );
}
