/**
 * Step 1 of creating a connector: the installed connector plugins (GET /connector-plugins) with a
 * search box and All / Source / Sink tabs. Each plugin is a button named by its short name
 * ("FileStreamSource"), its full class and type shown beside it. A config file can be uploaded
 * instead: its connector.class picks the plugin.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, rest } from '../../api/rest-client.js';
import type { PluginInfo } from '../../api/types.js';
import { ConfigTextError, detectFormat, parseConfigText } from '../../form/config-text.js';
import { countByTab, filterPlugins, shortPluginName, type PluginTab } from '../../form/plugin-catalog.js';
import { ConfigUploadButton } from './config-upload-button.js';

export interface PluginPickerProps {
  onPick: (connectorClass: string) => void;
  /** A config read from an uploaded file (it names its plugin in connector.class). */
  onImport: (config: Record<string, string>) => void;
}

const TABS: { tab: PluginTab; label: string }[] = [
  { tab: 'all', label: 'All' },
  { tab: 'source', label: 'Source' },
  { tab: 'sink', label: 'Sink' },
];

export function PluginPicker({ onPick, onImport }: PluginPickerProps) {
  const [plugins, setPlugins] = useState<PluginInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tab, setTab] = useState<PluginTab>('all');
  const [search, setSearch] = useState('');
  const [importError, setImportError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    rest.get<PluginInfo[]>('/connector-plugins')
      .then((list) => { if (live) setPlugins(list); })
      .catch((err: unknown) => { if (live) setLoadError(errorText(err)); });
    return () => { live = false; };
  }, []);

  const upload = async (file: File) => {
    setImportError(null);
    try {
      const text = await file.text();
      const config = parseConfigText(text, detectFormat(text, file.name));
      if (!config['connector.class']) throw new ConfigTextError('it has no connector.class, so the plugin is not known');
      onImport(config);
    } catch (err) {
      setImportError(`${file.name}: ${err instanceof ConfigTextError ? err.message : errorText(err)}`);
    }
  };

  const counts = countByTab(plugins ?? []);
  const shown = filterPlugins(plugins ?? [], tab, search);
  const moveTab = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.tab === tab);
    const next = event.key === 'ArrowRight' ? (index + 1) % TABS.length : event.key === 'ArrowLeft' ? (index + TABS.length - 1) % TABS.length : -1;
    if (next < 0) return;
    event.preventDefault();
    setTab(TABS[next]!.tab);
    document.getElementById(`plugin-tab-${TABS[next]!.tab}`)?.focus();
  };

  return (
    <section class="plugin-picker" aria-labelledby="picker-heading">
      <h2 id="picker-heading">Pick a plugin</h2>
      <div class="filters">
        <label>
          Search plugins
          <input type="search" value={search} placeholder="Name or class" onInput={(event) => setSearch(event.currentTarget.value)} />
        </label>
        <ConfigUploadButton onFile={upload} />
      </div>
      {importError && <p class="error-text" role="alert">Could not use the file: {importError}</p>}
      <div role="tablist" aria-label="Plugin type" class="tabs" onKeyDown={moveTab}>
        {TABS.map(({ tab: t, label }) => (
          <button key={t} type="button" role="tab" id={`plugin-tab-${t}`} aria-selected={tab === t} aria-controls="plugin-panel"
            tabIndex={tab === t ? 0 : -1} onClick={() => setTab(t)}>
            {label} <span class="count">({counts[t]})</span>
          </button>
        ))}
      </div>
      <div role="tabpanel" id="plugin-panel" aria-labelledby={`plugin-tab-${tab}`}>
        {loadError && <p class="error-text" role="alert">The plugins could not be loaded: {loadError}</p>}
        {plugins === null && !loadError && <p class="muted">Loading plugins…</p>}
        {plugins !== null && shown.length === 0 && <p class="empty">No plugin matches “{search}”.</p>}
        <ul class="plugin-list">
          {shown.map((plugin) => {
            const descId = `plugin-${plugin.class.replace(/\W+/g, '-')}`;
            return (
              <li key={plugin.class} class="plugin-card">
                <button type="button" class="plugin-pick" aria-describedby={descId} onClick={() => onPick(plugin.class)}>
                  {shortPluginName(plugin.class)}
                </button>
                <p id={descId} class="plugin-meta">
                  <span class={`badge ${plugin.type === 'source' ? 'badge-ok' : 'badge-neutral'}`}>{plugin.type}</span>
                  {' '}<code class="plugin-class">{plugin.class}</code>
                  {plugin.version && <span class="muted"> · {plugin.version}</span>}
                </p>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
