/**
 * The connector's config as a table, secrets masked (see config-masking.ts) with a per-key
 * Show/Hide toggle, config provider references shown as they are and marked. The definitions come
 * from one validate call with the current config, made when the config changes.
 */
import { useEffect, useState } from 'preact/hooks';
import { rest, seg } from '../../api/rest-client.js';
import type { ConfigInfos } from '../../api/types.js';
import { notify } from '../../components/notice.js';
import { declaredKeys, isProviderReference, passwordKeys, shouldMask } from './config-masking.js';

const MASK = '••••••••';

function useDefinitions(config: Record<string, string>): ConfigInfos | undefined {
  const [infos, setInfos] = useState<ConfigInfos | undefined>(undefined);
  const className = config['connector.class'] ?? '';
  const key = JSON.stringify(config);
  useEffect(() => {
    if (!className) return;
    let current = true;
    rest.put<ConfigInfos>(`/connector-plugins/${seg(className)}/config/validate`, config)
      .then((answer) => { if (current) setInfos(answer); })
      .catch(() => { /* masking falls back to key names */ });
    return () => { current = false; };
  }, [className, key]);
  return infos;
}

/** Saves the config as <name>.json, the body `PUT /connectors/<name>/config` takes. */
function download(name: string, config: Record<string, string>): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(config, null, 2)}\n`], { type: 'application/json' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = `${name}.json`;
  anchor.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ConfigView({ name, config }: { name: string; config: Record<string, string> }) {
  const infos = useDefinitions(config);
  const passwords = passwordKeys(infos);
  const declared = declaredKeys(infos);
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const keys = Object.keys(config).sort((a, b) => (a === 'name' ? -1 : b === 'name' ? 1 : a === 'connector.class' ? -1 : b === 'connector.class' ? 1 : a.localeCompare(b)));

  const toggle = (key: string) => setRevealed((previous) => {
    const next = new Set(previous);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  });

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(JSON.stringify(config, null, 2));
      notify('Config copied as JSON');
    } catch {
      notify('The browser did not allow copying to the clipboard', 'error');
    }
  };

  return (
    <section class="section" aria-labelledby="config-heading">
      <div class="section-head">
        <h2 id="config-heading">Configuration</h2>
        <div class="toolbar">
          <button type="button" onClick={copy}>Copy as JSON</button>
          <button type="button" onClick={() => download(name, config)}>Download JSON</button>
        </div>
      </div>
      <div class="table-wrap">
        <table aria-label="Configuration">
          <thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
          <tbody>
            {keys.map((key) => {
              const value = config[key] ?? '';
              const masked = shouldMask(key, value, passwords, declared);
              const shown = !masked || revealed.has(key);
              return (
                <tr key={key} data-config-key={key}>
                  <th scope="row" class="mono wrap">{key}</th>
                  <td class="mono wrap">
                    <span data-testid={`config-value-${key}`}>{shown ? value : MASK}</span>
                    {masked && <span class="visually-hidden">{shown ? '' : ' (masked secret)'}</span>}
                    {isProviderReference(value) && <span class="tag" title="Resolved by a config provider on the worker">provider reference</span>}
                    {masked && (
                      <button type="button" class="link-button small" aria-label={`${shown ? 'Hide' : 'Show'} value of ${key}`}
                        aria-pressed={shown} onClick={() => toggle(key)}>{shown ? 'Hide' : 'Show'}</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
