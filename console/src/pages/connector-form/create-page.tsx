/**
 * /ui/new: create a connector in two steps. Step 1 picks a plugin (or reads an uploaded config
 * that names one); step 2 is the generated form for it, at /ui/new?class=<connector class> so the
 * step survives a reload and the browser's Back returns to the plugin list. Creating checks that
 * the name is free (PUT /connectors/{name}/config would otherwise replace an existing
 * connector's config), sends the config, and opens the new connector's page once the worker
 * reports a status for it.
 */
import { useState } from 'preact/hooks';
import { rest, seg } from '../../api/rest-client.js';
import type { ConnectorsExpanded } from '../../api/types.js';
import { notify } from '../../components/notice.js';
import { shortPluginName } from '../../form/plugin-catalog.js';
import { newFormState, replaceConfig } from '../../form/form-state.js';
import { Link, navigate, useRoute } from '../../router.js';
import { ConnectorForm } from './connector-form.js';
import { PluginPicker } from './plugin-picker.js';

function formPath(connectorClass: string): string {
  return `/new?class=${encodeURIComponent(connectorClass)}`;
}

async function create(config: Record<string, string>): Promise<void> {
  const name = config.name ?? '';
  const existing = await rest.get<string[]>('/connectors');
  if (existing.includes(name)) {
    throw new Error(`A connector named "${name}" already exists. Choose another name, or edit that connector instead.`);
  }
  await rest.put(`/connectors/${seg(name)}/config`, config);
  await statusWritten(name);
  notify(`Connector ${name} created.`);
  navigate(`/connectors/${encodeURIComponent(name)}`);
}

const STATUS_WAIT_MS = 10_000;

/**
 * Waits (at most 10 s) until the worker reports a status for a new connector, so its page opens
 * on a state rather than on "No status found". Polls the list with ?expand=status, which has no
 * 404 for a connector whose status is not written yet.
 */
async function statusWritten(name: string): Promise<void> {
  const deadline = Date.now() + STATUS_WAIT_MS;
  while (Date.now() < deadline) {
    const expanded = await rest.get<ConnectorsExpanded>('/connectors?expand=status');
    if (expanded[name]?.status) return;
    await new Promise((resolve) => window.setTimeout(resolve, 200));
  }
}

export function CreatePage() {
  const { search } = useRoute();
  const connectorClass = search.get('class');
  const [imported, setImported] = useState<Record<string, string> | null>(null);
  const [formKey, setFormKey] = useState(0);

  const pick = (chosen: string) => {
    setImported(null);
    setFormKey((key) => key + 1);
    navigate(formPath(chosen));
  };
  const importConfig = (config: Record<string, string>) => {
    setImported(config);
    setFormKey((key) => key + 1);
    navigate(formPath(config['connector.class']!));
  };

  const step = connectorClass ? 2 : 1;
  return (
    <section class="connector-form-page">
      <div class="page-head">
        <div>
          <h1>New connector</h1>
          <ol class="steps" aria-label="Steps">
            <li aria-current={step === 1 ? 'step' : undefined}>Plugin</li>
            <li aria-current={step === 2 ? 'step' : undefined}>Configuration</li>
          </ol>
        </div>
        <Link to="/" class="button">Cancel</Link>
      </div>
      {connectorClass === null ? (
        <PluginPicker onPick={pick} onImport={importConfig} />
      ) : (
        <>
          <p class="muted form-intro">
            Configure a <strong>{shortPluginName(connectorClass)}</strong> connector. The worker checks the config as you type;
            fields marked <span class="required-mark">*</span> are required.
          </p>
          <ConnectorForm
            key={formKey}
            mode="create"
            initial={imported ? replaceConfig(newFormState(connectorClass), imported) : newFormState(connectorClass)}
            classExtra={<button type="button" class="small" onClick={() => navigate('/new')}>Change plugin</button>}
            onClassChange={(changed) => navigate(formPath(changed), { replace: true })}
            onSubmit={create}
          />
        </>
      )}
    </section>
  );
}
