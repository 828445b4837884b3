/**
 * The connector's lifecycle actions, each confirmed in a dialog and reported in a notice: Pause
 * (while running), Resume (while paused or stopped), Stop, Restart (connector only, with all
 * tasks, or only what failed: KIP-745's includeTasks/onlyFailed in one call), and Delete.
 */
import { useState } from 'preact/hooks';
import { rest, seg } from '../../api/rest-client.js';
import type { WorkerState } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { notify } from '../../components/notice.js';
import { navigate } from '../../router.js';

type Action = 'pause' | 'resume' | 'stop' | 'restart' | 'delete';
type RestartScope = 'connector' | 'all' | 'failed';

const RESTART_QUERY: Record<RestartScope, string> = {
  connector: 'includeTasks=false&onlyFailed=false',
  all: 'includeTasks=true&onlyFailed=false',
  failed: 'includeTasks=true&onlyFailed=true',
};

export function ConnectorActions({ name, state, onChanged }: { name: string; state: WorkerState | undefined; onChanged: () => void }) {
  const [action, setAction] = useState<Action | null>(null);
  const [scope, setScope] = useState<RestartScope>('all');
  const path = `/connectors/${seg(name)}`;

  const run = async () => {
    switch (action) {
      case 'pause':
        await rest.put(`${path}/pause`);
        notify(`${name} is pausing`);
        break;
      case 'resume':
        await rest.put(`${path}/resume`);
        notify(`${name} is resuming`);
        break;
      case 'stop':
        await rest.put(`${path}/stop`);
        notify(`${name} is stopping`);
        break;
      case 'restart':
        await rest.post(`${path}/restart?${RESTART_QUERY[scope]}`);
        notify(scope === 'connector' ? `${name} restarted` : scope === 'all' ? `${name} and its tasks restarted` : `The failed parts of ${name} restarted`);
        break;
      case 'delete':
        await rest.delete(path);
        setAction(null);
        notify(`${name} deleted`);
        navigate('/');
        return;
      case null:
        return;
    }
    setAction(null);
    onChanged();
  };

  const running = state === 'RUNNING';
  const resumable = state === 'PAUSED' || state === 'STOPPED';
  const titles: Record<Action, string> = {
    pause: `Pause ${name}?`,
    resume: `Resume ${name}?`,
    stop: `Stop ${name}?`,
    restart: `Restart ${name}?`,
    delete: `Delete ${name}?`,
  };

  return (
    <div class="toolbar" role="group" aria-label="Connector actions">
      <button type="button" disabled={!running} onClick={() => setAction('pause')}>Pause</button>
      <button type="button" disabled={!resumable} onClick={() => setAction('resume')}>Resume</button>
      <button type="button" disabled={state === 'STOPPED'} onClick={() => setAction('stop')}>Stop</button>
      <button type="button" onClick={() => { setScope('all'); setAction('restart'); }}>Restart</button>
      <button type="button" class="danger" onClick={() => setAction('delete')}>Delete</button>

      <ConfirmDialog open={action !== null} title={action ? titles[action] : ''} danger={action === 'delete'}
        onConfirm={run} onCancel={() => setAction(null)}>
        {action === 'pause' && <p>Its tasks stop processing records but keep their resources and assignments until it is resumed.</p>}
        {action === 'resume' && <p>The connector and its tasks start processing again from their committed offsets.</p>}
        {action === 'stop' && <p>The connector and its tasks shut down and release their resources; its config and offsets are kept. Only a stopped connector's offsets can be reset.</p>}
        {action === 'delete' && <p>The connector and its tasks are stopped and its config is removed. Its committed offsets stay in the offsets topic.</p>}
        {action === 'restart' && (
          <fieldset>
            <legend>What to restart</legend>
            <label class="radio"><input type="radio" name="restart-scope" checked={scope === 'connector'} onChange={() => setScope('connector')} /> The connector only</label>
            <label class="radio"><input type="radio" name="restart-scope" checked={scope === 'all'} onChange={() => setScope('all')} /> The connector and all its tasks</label>
            <label class="radio"><input type="radio" name="restart-scope" checked={scope === 'failed'} onChange={() => setScope('failed')} /> Only what failed (the connector and tasks in FAILED state)</label>
          </fieldset>
        )}
      </ConfirmDialog>
    </div>
  );
}
