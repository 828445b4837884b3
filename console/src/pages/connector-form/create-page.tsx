/**
 * /ui/new: create a connector in two steps. Step 1 picks a plugin (or reads an uploaded config
 * that names one); step 2 is the generated form for it, at /ui/new?class=<connector class> so the
 * step survives a reload and the browser's Back returns to the plugin list. Creating checks that
 * the name is free (PUT /connectors/{name}/config would otherwise replace an existing
 * connector's config), sends the config, and opens the new connector's page.
 */
import { useState } from 'preact/hooks';
import { rest, seg } from '../../api/rest-client.js';
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
  notify(`Connector ${name} created.`);
  navigate(`/connectors/${encodeURIComponent(name)}`);
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
