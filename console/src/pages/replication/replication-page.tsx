/**
 * MirrorMaker at a glance: every connector whose class is one of MirrorMaker's, grouped into
 * flows (source alias → target alias), each with its connectors and their states, the
 * replicated topics with the replication lag per partition, and the latest checkpoints.
 * Everything is refreshed every REFRESH_MS from GET /connectors?expand=info&expand=status and
 * each connector's GET /connectors/{c}/replication (docs/console.md).
 */
import { useCallback } from 'preact/hooks';
import { connectorReplication, mirrorKindOfClass, type ConnectorReplication, type MirrorKind } from '../../api/monitoring.js';
import { errorText, rest } from '../../api/rest-client.js';
import type { ConnectorsExpanded, ConnectorStatus } from '../../api/types.js';
import { RefreshIndicator } from '../../components/refresh-indicator.js';
import { StateBadge } from '../../components/state-badge.js';
import { usePolling } from '../../components/use-polling.js';
import { formatCount } from '../../monitoring/format.js';
import { Link } from '../../router.js';

const REFRESH_MS = 5_000;
const KIND_ORDER: Record<MirrorKind, number> = { source: 0, checkpoint: 1, heartbeat: 2 };
const KIND_LABEL: Record<MirrorKind, string> = { source: 'MirrorSource', checkpoint: 'MirrorCheckpoint', heartbeat: 'MirrorHeartbeat' };

interface MirrorConnector {
  name: string;
  kind: MirrorKind;
  /** The aliases in the connector's config (MirrorMaker's defaults when unset), for when its replication details are missing. */
  configuredSource: string;
  configuredTarget: string;
  status: ConnectorStatus | undefined;
  replication: ConnectorReplication | null;
  /** Why the replication details could not be loaded. */
  error: string | null;
}

interface Flow {
  source: string;
  target: string;
  connectors: MirrorConnector[];
}

async function loadMirrorConnectors(): Promise<MirrorConnector[]> {
  const all = await rest.get<ConnectorsExpanded>('/connectors?expand=info&expand=status');
  const mirrors = Object.entries(all).flatMap(([name, entry]) => {
    const config = entry.info?.config ?? {};
    const kind = mirrorKindOfClass(config['connector.class']);
    const configuredSource = config['source.cluster.alias'] ?? 'source';
    const configuredTarget = config['target.cluster.alias'] ?? 'target';
    return kind ? [{ name, kind, status: entry.status, configuredSource, configuredTarget }] : [];
  });
  const details = await Promise.allSettled(mirrors.map((m) => connectorReplication(m.name)));
  return mirrors.map((m, i) => {
    const detail = details[i]!;
    return detail.status === 'fulfilled'
      ? { ...m, replication: detail.value, error: null }
      : { ...m, replication: null, error: errorText(detail.reason) };
  });
}

/** Connectors grouped by source → target alias, flows and connectors in a stable order. */
function flowsOf(connectors: readonly MirrorConnector[]): Flow[] {
  const flows = new Map<string, Flow>();
  for (const c of connectors) {
    const source = c.replication?.source_cluster_alias ?? c.configuredSource;
    const target = c.replication?.target_cluster_alias ?? c.configuredTarget;
    const key = JSON.stringify([source, target]);
    const flow = flows.get(key) ?? { source, target, connectors: [] };
    flow.connectors.push(c);
    flows.set(key, flow);
  }
  const sorted = [...flows.values()].sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  for (const flow of sorted) flow.connectors.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name));
  return sorted;
}

export function ReplicationPage() {
  const load = useCallback(loadMirrorConnectors, []);
  const polled = usePolling(load, REFRESH_MS);
  const connectors = polled.data;
  return (
    <section aria-labelledby="replication-heading">
      <div class="page-head">
        <div>
          <h1 id="replication-heading">Replication</h1>
          <p class="muted" style={{ margin: 0 }}>MirrorMaker flows between Kafka clusters, as the connectors of this Connect cluster run them.</p>
        </div>
        <RefreshIndicator updatedAt={polled.updatedAt} stale={polled.stale} error={polled.error} />
      </div>
      {connectors === undefined
        ? (polled.error ? <p class="error-text" role="alert">Could not load the connectors: {errorText(polled.error)}</p> : <p class="muted">Loading…</p>)
        : connectors.length === 0 ? <EmptyState /> : flowsOf(connectors).map((flow) => <FlowSection key={`${flow.source}>${flow.target}`} flow={flow} />)}
    </section>
  );
}

function FlowSection({ flow }: { flow: Flow }) {
  const title = `${flow.source} → ${flow.target}`;
  const id = `flow-${flow.source}-${flow.target}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const sources = flow.connectors.filter((c) => c.replication?.kind === 'source');
  const checkpoints = flow.connectors.filter((c) => c.replication?.kind === 'checkpoint');
  const lags = sources.map((c) => c.replication!.total_lag);
  const totalLag = lags.length === 0 || lags.includes(null) ? null : lags.reduce<number>((sum, lag) => sum + lag!, 0);
  return (
    <section class="section card flow" aria-labelledby={id} data-testid="replication-flow">
      <div class="section-head">
        <h2 id={id}>{title}</h2>
        {sources.length > 0 && (
          <span>Replication lag <strong data-testid="flow-lag">{formatCount(totalLag)}</strong> records</span>
        )}
      </div>
      <ConnectorList connectors={flow.connectors} />
      {flow.connectors.filter((c) => c.error !== null || c.replication?.error).map((c) => (
        <p key={c.name} class="banner warn" role="status">
          <strong>{c.name}</strong>: {c.error ?? c.replication!.error}
        </p>
      ))}
      {sources.map((c) => <ReplicatedTopics key={c.name} connector={c} replication={c.replication!} flowTitle={title} many={sources.length > 1} />)}
      {checkpoints.map((c) => <Checkpoints key={c.name} replication={c.replication!} flowTitle={title} many={checkpoints.length > 1} />)}
    </section>
  );
}

function ConnectorList({ connectors }: { connectors: readonly MirrorConnector[] }) {
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: '0 0 0.75rem', display: 'flex', flexWrap: 'wrap', gap: '0.5rem 1.25rem' }}>
      {connectors.map((c) => {
        const state = c.status?.connector.state ?? 'UNASSIGNED';
        const tasks = c.status?.tasks ?? [];
        const running = tasks.filter((t) => t.state === 'RUNNING').length;
        return (
          <li key={c.name} style={{ display: 'inline-flex', gap: '0.4rem', alignItems: 'center' }}>
            <Link to={`/connectors/${encodeURIComponent(c.name)}`}>{c.name}</Link>
            <span class="tag">{KIND_LABEL[c.kind]}</span>
            <StateBadge state={state} />
            <span class="muted">{running}/{tasks.length} tasks running</span>
          </li>
        );
      })}
    </ul>
  );
}

function ReplicatedTopics({ connector, replication, flowTitle, many }: {
  connector: MirrorConnector; replication: ConnectorReplication; flowTitle: string; many: boolean;
}) {
  const caption = `Replicated topics ${flowTitle}` + (many ? ` (${connector.name})` : '');
  if (replication.topics.length === 0) {
    return <p class="muted">{connector.name} replicates no topics yet: none of the source cluster's topics match its <code>topics</code>, or its tasks have not started.</p>;
  }
  return (
    <div class="table-wrap" style={{ marginBottom: '0.75rem' }}>
      <table>
        <caption style={{ textAlign: 'left', padding: '0.5rem 0.75rem', fontWeight: 600 }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Topic → remote topic, partition</th>
            <th scope="col" class="num">Replicated up to</th>
            <th scope="col" class="num">Source end offset</th>
            <th scope="col" class="num">Lag</th>
          </tr>
        </thead>
        {replication.topics.map((topic) => (
          <tbody key={topic.source_topic}>
            <tr style={{ background: 'var(--surface-2)' }}>
              <th scope="rowgroup" colSpan={3} style={{ textTransform: 'none', letterSpacing: 'normal', fontSize: '0.95rem', color: 'var(--text)', whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
                {topic.source_topic} → {topic.target_topic}
              </th>
              <td class="num"><strong>{formatCount(topic.lag)}</strong></td>
            </tr>
            {topic.partitions.map((p) => (
              <tr key={p.partition}>
                <td style={{ paddingLeft: '1.5rem' }}>partition {p.partition}</td>
                <td class="num" title={p.upstream_offset === null ? 'Nothing committed yet: counted from the log start' : undefined}>
                  {p.upstream_offset === null ? 'none' : formatCount(p.upstream_offset)}
                </td>
                <td class="num">{formatCount(p.upstream_end_offset)}</td>
                <td class="num">{formatCount(p.lag)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function Checkpoints({ replication, flowTitle, many }: { replication: ConnectorReplication; flowTitle: string; many: boolean }) {
  const caption = `Latest checkpoints ${flowTitle}` + (many ? ` (${replication.name})` : '');
  if (replication.checkpoints.length === 0) {
    return (
      <p class="muted">
        No checkpoints in <code>{replication.checkpoints_topic}</code> yet: they appear once a consumer group matching the
        checkpoint connector's <code>groups</code> has committed offsets on {replication.source_cluster_alias} for replicated topics.
      </p>
    );
  }
  return (
    <div class="table-wrap">
      <table>
        <caption style={{ textAlign: 'left', padding: '0.5rem 0.75rem', fontWeight: 600 }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Topic on {replication.target_cluster_alias}</th>
            <th scope="col" class="num">Partition</th>
            <th scope="col" class="num">Offset on {replication.source_cluster_alias}</th>
            <th scope="col" class="num">Offset on {replication.target_cluster_alias}</th>
            <th scope="col">Written</th>
          </tr>
        </thead>
        <tbody>
          {replication.checkpoints.map((c) => (
            <tr key={`${c.group}\u0000${c.topic}\u0000${c.partition}`}>
              <td class="wrap">{c.group}</td>
              <td class="wrap">{c.topic}</td>
              <td class="num">{c.partition}</td>
              <td class="num">{formatCount(c.upstream_offset)}</td>
              <td class="num">{formatCount(c.downstream_offset)}</td>
              <td><time dateTime={new Date(c.timestamp).toISOString()}>{new Date(c.timestamp).toLocaleString()}</time></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EmptyState() {
  return (
    <div class="card empty" data-testid="replication-empty">
      <h2>No MirrorMaker connectors</h2>
      <p>
        This Connect cluster runs no <code>MirrorSourceConnector</code>, <code>MirrorCheckpointConnector</code> or{' '}
        <code>MirrorHeartbeatConnector</code>.
      </p>
      <p style={{ textAlign: 'left', maxWidth: '46rem', margin: '1rem auto' }}>
        To replicate topics from another Kafka cluster into the one this worker uses, create a{' '}
        <Link to="/new">MirrorSourceConnector</Link> with <code>source.cluster.alias</code>, <code>source.cluster.bootstrap.servers</code>,
        {' '}<code>target.cluster.alias</code>, <code>target.cluster.bootstrap.servers</code> and the <code>topics</code> to copy, and
        a MirrorCheckpointConnector to carry consumer group offsets over. Or run MirrorMaker from its own properties file with{' '}
        <code>ferry mirror-maker mm2.properties</code>: each of its flows serves this console on its own REST port (see
        docs/mirror-maker.md).
      </p>
    </div>
  );
}
