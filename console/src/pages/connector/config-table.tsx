/**
 * A config as a key/value table with secrets masked (see config-masking.ts) behind a per-key
 * Show/Hide toggle, and config provider references shown as they are and marked. Used for the
 * connector's config and for each task's. `useConfigDefinitions` learns which keys are PASSWORD
 * from one validate call with the config, made again only when the config changes.
 */
import { useEffect, useState } from 'preact/hooks';
import { rest, seg } from '../../api/rest-client.js';
import type { ConfigInfos } from '../../api/types.js';
import { declaredKeys, isProviderReference, passwordKeys, shouldMask } from './config-masking.js';

const MASK = '••••••••';

export interface KeyKinds {
  passwords: Set<string>;
  declared: Set<string>;
}

export function useConfigDefinitions(config: Record<string, string>): KeyKinds {
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
  return { passwords: passwordKeys(infos), declared: declaredKeys(infos) };
}

function byImportance(a: string, b: string): number {
  const rank = (key: string) => (key === 'name' ? 0 : key === 'connector.class' ? 1 : key === 'task.class' ? 2 : 3);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function ConfigTable({ config, kinds, label }: { config: Record<string, string>; kinds: KeyKinds; label: string }) {
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const toggle = (key: string) => setRevealed((previous) => {
    const next = new Set(previous);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  });
  return (
    <div class="table-wrap">
      <table aria-label={label}>
        <thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
        <tbody>
          {Object.keys(config).sort(byImportance).map((key) => {
            const value = config[key] ?? '';
            const masked = shouldMask(key, value, kinds.passwords, kinds.declared);
            const shown = !masked || revealed.has(key);
            return (
              <tr key={key} data-config-key={key}>
                <th scope="row" class="mono wrap">{key}</th>
                <td class="mono wrap">
                  <span data-testid={`config-value-${key}`}>{shown ? value : MASK}</span>
                  {masked && !shown && <span class="visually-hidden"> (masked secret)</span>}
                  {isProviderReference(value) && <span class="tag provider-tag" title="Resolved by a config provider on the worker">provider reference</span>}
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
  );
}
