/**
 * The cluster's workers as the connector statuses name them, each with the connectors and tasks
 * it runs (a worker with nothing assigned is not visible through the REST API). Plain text, so
 * the connectors table holds the only link named after each connector.
 */
import type { ConnectorSummary } from '../../api/connector-summary.js';
import type { ServerInfo, WorkerState } from '../../api/types.js';
import { StateBadge } from '../../components/state-badge.js';

interface Assignment {
  connector: string;
  /** null for the connector instance itself. */
  task: number | null;
  state: WorkerState;
}

export function workersOf(all: ConnectorSummary[]): Map<string, Assignment[]> {
  const workers = new Map<string, Assignment[]>();
  const add = (worker: string, assignment: Assignment) => {
    if (!worker) return;
    const list = workers.get(worker) ?? [];
    list.push(assignment);
    workers.set(worker, list);
  };
  for (const summary of all) {
    if (!summary.status) continue;
    add(summary.status.connector.worker_id, { connector: summary.name, task: null, state: summary.status.connector.state });
    for (const task of summary.status.tasks) add(task.worker_id, { connector: summary.name, task: task.id, state: task.state });
  }
  return new Map([...workers.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export function WorkersPanel({ all, server }: { all: ConnectorSummary[]; server: ServerInfo | undefined }) {
  const workers = workersOf(all);
  return (
    <section class="section" aria-labelledby="workers-heading">
      <div class="section-head">
        <h2 id="workers-heading">Workers</h2>
        {server && <span class="muted">ferry {server.version} · Kafka cluster <code>{server.kafka_cluster_id}</code></span>}
      </div>
      {workers.size === 0 ? (
        <p class="muted">No worker runs a connector yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Worker</th><th scope="col" class="num">Connectors</th><th scope="col" class="num">Tasks</th><th scope="col">Runs</th></tr>
            </thead>
            <tbody>
              {[...workers.entries()].map(([worker, assignments]) => {
                const tasks = assignments.filter((a) => a.task !== null);
                return (
                  <tr key={worker}>
                    <th scope="row" class="mono">{worker}</th>
                    <td class="num">{assignments.length - tasks.length}</td>
                    <td class="num">{tasks.length}</td>
                    <td class="wrap">
                      {assignments.map((a) => (
                        <span class="tag" key={`${a.connector}/${a.task ?? 'c'}`}>
                          {a.connector}{a.task === null ? ' (connector)' : ` task ${a.task}`}{' '}
                          {a.state !== 'RUNNING' && <StateBadge state={a.state} />}
                        </span>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
