/**
 * Pause, resume, stop or restart the failed tasks of every selected connector, confirmed once. Each
 * connector gets its own call; the notice says how many succeeded and names those that did not.
 */
import { useState } from 'preact/hooks';
import { errorText, rest, seg } from '../../api/rest-client.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { notify } from '../../components/notice.js';

type BulkAction = 'pause' | 'resume' | 'stop' | 'restart-failed';

const ACTIONS: Record<BulkAction, { button: string; title: string; verb: string; call: (name: string) => Promise<unknown> }> = {
  'pause': { button: 'Pause selected', title: 'Pause', verb: 'paused', call: (name) => rest.put(`/connectors/${seg(name)}/pause`) },
  'resume': { button: 'Resume selected', title: 'Resume', verb: 'resumed', call: (name) => rest.put(`/connectors/${seg(name)}/resume`) },
  'stop': { button: 'Stop selected', title: 'Stop', verb: 'stopped', call: (name) => rest.put(`/connectors/${seg(name)}/stop`) },
  'restart-failed': {
    button: 'Restart failed tasks of selected', title: 'Restart the failed tasks of', verb: 'restarted (failed tasks)',
    call: (name) => rest.post(`/connectors/${seg(name)}/restart?includeTasks=true&onlyFailed=true`),
  },
};

export function BulkActions({ selected, onDone }: { selected: string[]; onDone: () => void }) {
  const [action, setAction] = useState<BulkAction | null>(null);
  if (selected.length === 0) return null;
  const run = async () => {
    if (!action) return;
    const { call, verb } = ACTIONS[action];
    const results = await Promise.allSettled(selected.map((name) => call(name)));
    const failures = results.flatMap((result, i) => result.status === 'rejected' ? [`${selected[i]}: ${errorText(result.reason)}`] : []);
    const ok = results.length - failures.length;
    if (ok > 0) notify(`${ok} ${ok === 1 ? 'connector' : 'connectors'} ${verb}`);
    if (failures.length > 0) notify(`Failed: ${failures.join('; ')}`, 'error');
    setAction(null);
    onDone();
  };
  return (
    <div class="toolbar bulk" role="group" aria-label="Actions on selected connectors">
      <span>{selected.length} selected</span>
      {(Object.keys(ACTIONS) as BulkAction[]).map((key) => (
        <button type="button" key={key} onClick={() => setAction(key)}>{ACTIONS[key].button}</button>
      ))}
      <ConfirmDialog open={action !== null} title={action ? `${ACTIONS[action].title} ${selected.length} ${selected.length === 1 ? 'connector' : 'connectors'}?` : ''}
        onConfirm={run} onCancel={() => setAction(null)}>
        <p>{selected.join(', ')}</p>
      </ConfirmDialog>
    </div>
  );
}
