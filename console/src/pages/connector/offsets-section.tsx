/**
 * The connector's committed offsets (KIP-875 GET /connectors/{name}/offsets) as a table, and their
 * reset (DELETE), which Kafka Connect allows only for a STOPPED connector: the button says so
 * while it is disabled, asks for confirmation, and reports the worker's answer.
 */
import { useCallback, useState } from 'preact/hooks';
import { errorText, rest, seg } from '../../api/rest-client.js';
import type { ConnectorOffsets, WorkerState } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { notify } from '../../components/notice.js';
import { usePolling } from '../../components/use-polling.js';

function json(value: unknown): string {
  return value === null ? 'null' : JSON.stringify(value);
}

function Entries({ map }: { map: Record<string, unknown> | null }) {
  if (map === null) return <span class="muted">null</span>;
  const entries = Object.entries(map);
  if (entries.length === 0) return <span class="muted">{'{}'}</span>;
  return <>{entries.map(([key, value]) => <div key={key}><span class="muted">{key}:</span> <span class="mono">{typeof value === 'string' ? value : json(value)}</span></div>)}</>;
}

export function OffsetsSection({ name, connectorState }: { name: string; connectorState: WorkerState | undefined }) {
  const load = useCallback(() => rest.get<ConnectorOffsets>(`/connectors/${seg(name)}/offsets`), [name]);
  const offsets = usePolling(load, 5000, name);
  const [confirming, setConfirming] = useState(false);
  const stopped = connectorState === 'STOPPED';

  const reset = async () => {
    const answer = await rest.delete<{ message?: string } | undefined>(`/connectors/${seg(name)}/offsets`);
    setConfirming(false);
    notify(answer?.message ?? `Offsets of ${name} reset`);
    await offsets.refresh();
  };

  const list = offsets.data?.offsets ?? [];
  return (
    <section class="section" aria-labelledby="offsets-heading">
      <div class="section-head">
        <h2 id="offsets-heading">Offsets</h2>
        <div class="toolbar">
          <button type="button" onClick={() => { void offsets.refresh(); }}>Reload offsets</button>
          <button type="button" class="danger" disabled={!stopped} aria-describedby="reset-offsets-hint" onClick={() => setConfirming(true)}>Reset offsets</button>
        </div>
      </div>
      <p id="reset-offsets-hint" class="muted">
        {stopped ? 'The connector is stopped: its offsets can be reset.' : 'Offsets can be reset only while the connector is stopped (use Stop first).'}
      </p>
      {offsets.data === undefined && offsets.error !== null ? (
        <p class="error-text">{errorText(offsets.error)}</p>
      ) : offsets.data === undefined ? (
        <p class="muted">Loading…</p>
      ) : list.length === 0 ? (
        <div class="card"><p class="muted" data-testid="offsets-empty">No committed offsets.</p></div>
      ) : (
        <div class="table-wrap">
          <table aria-label="Offsets">
            <thead><tr><th scope="col">Partition</th><th scope="col">Offset</th></tr></thead>
            <tbody>
              {list.map((entry) => (
                <tr key={json(entry.partition)}>
                  <td class="wrap"><Entries map={entry.partition} /></td>
                  <td class="wrap"><Entries map={entry.offset} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog open={confirming} danger title={`Reset the offsets of ${name}?`} onConfirm={reset} onCancel={() => setConfirming(false)}>
        <p>Every committed offset of this connector is removed. When it is resumed, a source reads from the beginning and a sink follows its consumer's auto.offset.reset.</p>
      </ConfirmDialog>
    </section>
  );
}
