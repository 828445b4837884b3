/** The connectors list: one row per connector, real links to its page, optional row selection for bulk actions. */
import { shortClass, type ConnectorSummary } from '../../api/connector-summary.js';
import { StateBadge } from '../../components/state-badge.js';
import { LagSummary, ThroughputCell } from '../../monitoring/index.js';
import { Link } from '../../router.js';

const TOPICS_SHOWN = 3;

function Topics({ summary }: { summary: ConnectorSummary }) {
  const { topics, topicsRegex } = summary;
  if (topics.length === 0 && !topicsRegex) return <span class="muted">—</span>;
  const regex = topicsRegex ? <span class="tag mono" title="topics.regex">/{topicsRegex}/</span> : null;
  if (topics.length <= TOPICS_SHOWN) {
    return <>{topics.map((topic) => <span class="tag" key={topic}>{topic}</span>)}{regex}</>;
  }
  return (
    <details>
      <summary>
        {topics.slice(0, TOPICS_SHOWN).map((topic) => <span class="tag" key={topic}>{topic}</span>)}
        <span>+{topics.length - TOPICS_SHOWN} more</span>
      </summary>
      {topics.slice(TOPICS_SHOWN).map((topic) => <span class="tag" key={topic}>{topic}</span>)}
      {regex}
    </details>
  );
}

export interface ConnectorsTableProps {
  rows: ConnectorSummary[];
  selected: Set<string>;
  onToggle: (name: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
}

export function ConnectorsTable({ rows, selected, onToggle, onToggleAll }: ConnectorsTableProps) {
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.name));
  return (
    <div class="table-wrap">
      <table aria-label="Connectors">
        <thead>
          <tr>
            <th scope="col" class="select-col">
              <input type="checkbox" aria-label="Select all shown connectors" checked={allSelected}
                onChange={(event) => onToggleAll(event.currentTarget.checked)} />
            </th>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Class</th>
            <th scope="col">State</th>
            <th scope="col" class="num">Tasks</th>
            <th scope="col" class="col-worker">Worker</th>
            <th scope="col">Topics</th>
            <th scope="col" class="num">Throughput</th>
            <th scope="col" class="num">Lag</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} data-connector={row.name}>
              <td class="select-col">
                <input type="checkbox" aria-label={`Select ${row.name}`} checked={selected.has(row.name)}
                  onChange={(event) => onToggle(row.name, event.currentTarget.checked)} />
              </td>
              <th scope="row" class="wrap"><Link to={`/connectors/${encodeURIComponent(row.name)}`}>{row.name}</Link></th>
              <td>{row.type}</td>
              <td class="wrap"><span title={row.className}>{shortClass(row.className) || '—'}</span></td>
              <td><StateBadge state={row.holistic.state} title={row.holistic.reason} /><span class="visually-hidden">: {row.holistic.reason}</span></td>
              <td class="num">
                <span title={`${row.tasksRunning} of ${row.tasksTotal} tasks running`}>{row.tasksRunning}/{row.tasksTotal}</span>
                {row.tasksFailed > 0 && <div class="failed-count">{row.tasksFailed} failed</div>}
              </td>
              <td class="mono col-worker">{row.workerId ?? '—'}</td>
              <td class="wrap"><Topics summary={row} /></td>
              <td class="num"><ThroughputCell connector={row.name} /></td>
              <td class="num">{row.type === 'sink' ? <LagSummary connector={row.name} type={row.type} /> : <span class="muted" title="Lag applies to sinks">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
