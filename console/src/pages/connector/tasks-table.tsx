/**
 * The connector's tasks: id, worker, state, readable failure trace, a confirmed per-task restart,
 * and each task's own config (GET /connectors/{name}/tasks, loaded when first shown).
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { errorText, rest, seg } from '../../api/rest-client.js';
import type { TaskStatus } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { notify } from '../../components/notice.js';
import { StateBadge } from '../../components/state-badge.js';
import { TraceView } from '../../components/trace-view.js';
import { ConfigTable, type KeyKinds } from './config-table.js';

interface TaskInfo {
  id: { connector: string; task: number };
  config: Record<string, string>;
}

export function TasksTable({ name, tasks, kinds, onChanged }: { name: string; tasks: TaskStatus[]; kinds: KeyKinds; onChanged: () => void }) {
  const [restarting, setRestarting] = useState<number | null>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [configs, setConfigs] = useState<{ list?: TaskInfo[]; error?: string }>({});
  const toggleConfig = async (id: number) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
    if (!next.has(id)) return;
    try {
      setConfigs({ list: await rest.get<TaskInfo[]>(`/connectors/${seg(name)}/tasks`) });
    } catch (error) {
      setConfigs({ error: errorText(error) });
    }
  };
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
                <Fragment key={task.id}>
                <tr data-task={task.id}>
                  <th scope="row" class="num">{task.id}</th>
                  <td class="mono">{task.worker_id}</td>
                  <td><StateBadge state={task.state} /></td>
                  <td class="wrap trace-cell">{task.trace ? <TraceView trace={task.trace} label={`task ${task.id}`} /> : <span class="muted">—</span>}</td>
                  <td class="row-actions">
                    <button type="button" class="small" aria-label={`Restart task ${task.id}`} onClick={() => setRestarting(task.id)}>Restart</button>
                    <button type="button" class="small" aria-expanded={open.has(task.id)} aria-controls={`task-config-${task.id}`}
                      aria-label={`Config of task ${task.id}`} onClick={() => { void toggleConfig(task.id); }}>Config</button>
                  </td>
                </tr>
                {open.has(task.id) && (
                  <tr id={`task-config-${task.id}`} class="task-config-row">
                    <td colSpan={5}>
                      {configs.error ? <p class="error-text">{configs.error}</p>
                        : !configs.list ? <p class="muted">Loading…</p>
                          : (() => {
                            const config = configs.list.find((info) => info.id.task === task.id)?.config;
                            return config ? <ConfigTable config={config} kinds={kinds} label={`Config of task ${task.id}`} /> : <p class="muted">The worker reports no config for this task.</p>;
                          })()}
                    </td>
                  </tr>
                )}
                </Fragment>
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
