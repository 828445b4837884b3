/** The connector's config section: the masked table, copy and download as JSON. */
import { notify } from '../../components/notice.js';
import { ConfigTable, type KeyKinds } from './config-table.js';

/** Saves the config as <name>.json, the body `PUT /connectors/<name>/config` takes. */
function download(name: string, config: Record<string, string>): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(config, null, 2)}\n`], { type: 'application/json' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = `${name}.json`;
  anchor.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ConfigView({ name, config, kinds }: { name: string; config: Record<string, string>; kinds: KeyKinds }) {
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
      <ConfigTable config={config} kinds={kinds} label="Configuration" />
    </section>
  );
}
