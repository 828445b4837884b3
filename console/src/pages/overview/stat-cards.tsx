/** Counts over all connectors; a failure count is a button that filters the list to those failures. */
import type { ConnectorSummary } from '../../api/connector-summary.js';
import { isFailing } from '../../api/connector-summary.js';
import type { StateFilter } from './overview-filters.js';

export function StatCards({ all, onFilter }: { all: ConnectorSummary[]; onFilter: (state: StateFilter) => void }) {
  const failing = all.filter((summary) => isFailing(summary.holistic.state)).length;
  const tasks = all.reduce((sum, summary) => sum + summary.tasksTotal, 0);
  const running = all.reduce((sum, summary) => sum + summary.tasksRunning, 0);
  const failedTasks = all.reduce((sum, summary) => sum + summary.tasksFailed, 0);
  const sources = all.filter((summary) => summary.type === 'source').length;
  return (
    <section class="stats" aria-label="Statistics">
      <div class="stat">
        <span class="stat-label">Connectors</span>
        <span class="stat-value" data-testid="stat-connectors">{all.length}</span>
        <span class="muted">{sources} source · {all.length - sources} sink</span>
      </div>
      <div class={`stat${failing > 0 ? ' bad' : ''}`}>
        <span class="stat-label">Failed connectors</span>
        <span class="stat-value" data-testid="stat-failed-connectors">{failing}</span>
        {failing > 0
          ? <button type="button" class="stat-link" onClick={() => onFilter('failing')}>Show failed connectors</button>
          : <span class="muted">none</span>}
      </div>
      <div class="stat">
        <span class="stat-label">Tasks</span>
        <span class="stat-value" data-testid="stat-tasks">{tasks}</span>
        <span class="muted">{running} running</span>
      </div>
      <div class={`stat${failedTasks > 0 ? ' bad' : ''}`}>
        <span class="stat-label">Failed tasks</span>
        <span class="stat-value" data-testid="stat-failed-tasks">{failedTasks}</span>
        {failedTasks > 0
          ? <button type="button" class="stat-link" onClick={() => onFilter('failed-tasks')}>Show connectors with failed tasks</button>
          : <span class="muted">none</span>}
      </div>
    </section>
  );
}
