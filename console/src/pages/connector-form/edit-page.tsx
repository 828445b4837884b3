/**
 * /ui/connectors/:name/edit: the create form, filled with the connector's config
 * (GET /connectors/{name}/config) and checked against its plugin's definitions. PASSWORD values
 * are masked and sent back unchanged unless the user types new ones; the keys that change are
 * listed before "Update", which sends the whole config with PUT /connectors/{name}/config.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, rest, seg } from '../../api/rest-client.js';
import type { ConfigInfos } from '../../api/types.js';
import { notify } from '../../components/notice.js';
import { definitionsOf, loadedFormState, type FormState } from '../../form/form-state.js';
import { Link, navigate } from '../../router.js';
import { ConnectorForm } from './connector-form.js';
import type { ValidationAnswer } from './use-live-validation.js';

interface Loaded {
  config: Record<string, string>;
  state: FormState;
  answer: ValidationAnswer | null;
  /** Why the definitions could not be loaded (the form still edits the raw config). */
  validationError: string | null;
}

async function load(name: string): Promise<Loaded> {
  const config = await rest.get<Record<string, string>>(`/connectors/${seg(name)}/config`);
  const connectorClass = config['connector.class'] ?? '';
  let infos: ConfigInfos | null = null;
  let validationError: string | null = null;
  try {
    infos = await rest.put<ConfigInfos>(`/connector-plugins/${seg(connectorClass)}/config/validate`, config);
  } catch (err) {
    validationError = errorText(err);
  }
  const state = loadedFormState(config, definitionsOf(infos));
  return { config, state, answer: infos ? { infos, values: state.values } : null, validationError };
}

export function EditPage({ name }: { name: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    setError(null);
    load(name)
      .then((result) => { if (live) setLoaded(result); })
      .catch((err: unknown) => { if (live) setError(errorText(err)); });
    return () => { live = false; };
  }, [name]);

  const update = async (config: Record<string, string>) => {
    await rest.put(`/connectors/${seg(name)}/config`, config);
    notify(`Connector ${name} updated.`);
    navigate(`/connectors/${encodeURIComponent(name)}`);
  };

  return (
    <section class="connector-form-page">
      <div class="page-head">
        <h1>Edit {name}</h1>
        <Link to={`/connectors/${encodeURIComponent(name)}`} class="button">Cancel</Link>
      </div>
      {error && <p class="banner bad" role="alert">The connector's config could not be loaded: {error}</p>}
      {!error && !loaded && <p class="muted">Loading the config…</p>}
      {loaded && (
        <>
          {loaded.validationError && (
            <p class="banner warn" role="alert">The plugin's settings could not be loaded ({loaded.validationError}); the config can still be edited as JSON.</p>
          )}
          <ConnectorForm key={name} mode="edit" initial={loaded.state} initialAnswer={loaded.answer} original={loaded.config} onSubmit={update} />
        </>
      )}
    </section>
  );
}
