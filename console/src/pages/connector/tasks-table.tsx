/** The connector's tasks: id, worker, state, readable failure trace, and a confirmed per-task restart. */
import { useState } from 'preact/hooks';
import { rest, seg } from '../../api/rest-client.js';
import type { TaskStatus } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { notify } from '../../components/notice.js';
import { StateBadge } from '../../components/state-badge.js';
import { TraceView } from '../../components/trace-view.js';

export function TasksTable({ name, tasks, onChanged }: { name: string; tasks: TaskStatus[]; onChanged: () => void }) {
  const [restarting, setRestarting] = useState<number | null>(null);
  const restart = async () => {
    if (restarting === null) return;
    await rest.post(`/connectors/${seg(name)}/tasks/${restarting}/restart`);
    notify(`Task ${restarting} of ${name} restarted`);
    setRestarting(null);
    onChanged();
  };
  return (
    <section class="section" aria-labelledby="tasks-heading">
      <div class="section-head"><h2 id="tasks-heading">Tasks</h2></div>
      {tasks.length === 0 ? (
        <p class="muted">No tasks: the connector has not started any (it may be stopped, paused before its first start, or still starting).</p>
      ) : (
        <div class="table-wrap">
          <table aria-label="Tasks">
            <thead>
              <tr><th scope="col" class="num">Task</th><th scope="col">Worker</th><th scope="col">State</th><th scope="col">Trace</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {tasks.map((task) => (
                <tr key={task.id} data-task={task.id}>
                  <th scope="row" class="num">{task.id}</th>
                  <td class="mono">{task.worker_id}</td>
                  <td><StateBadge state={task.state} /></td>
                  <td class="wrap trace-cell">{task.trace ? <TraceView trace={task.trace} label={`task ${task.id}`} /> : <span class="muted">—</span>}</td>
                  <td><button type="button" class="small" aria-label={`Restart task ${task.id}`} onClick={() => setRestarting(task.id)}>Restart</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog open={restarting !== null} title={`Restart task ${restarting ?? ''} of ${name}?`} onConfirm={restart} onCancel={() => setRestarting(null)}>
        <p>The task stops and starts again on its worker, from the last committed offsets.</p>
      </ConfirmDialog>
    </section>
  );
}
