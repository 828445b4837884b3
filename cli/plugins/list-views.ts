/**
 * How `ferry plugins list` prints what a worker would load from its plugin path: a table of the
 * plugins loaded (class, type, version, package), then each refused package with its reason;
 * or, with --json, one object holding both.
 */
import type { PluginPathReport } from '../../runtime/plugins/plugin-path-loader.js';
import { formatTable } from '../connectors/text-table.js';

type Report = Pick<PluginPathReport, 'loaded' | 'refused'>;

export function pluginListTable(pluginPath: readonly string[], report: Report): string {
  const rows = report.loaded.flatMap((p) => p.plugins.map((c) => [c.className, c.type, c.version, `${p.name} ${p.version}`]));
  const where = pluginPath.join(',');
  let out = rows.length === 0
    ? `No plugin loaded from plugin.path ${where}.\n`
    : formatTable(['CLASS', 'TYPE', 'VERSION', 'PACKAGE'], rows);
  if (report.refused.length > 0) {
    out += `\nRefused (${report.refused.length}):\n`;
    out += report.refused.map((r) => `${r.folder}: ${r.reason}\n`).join('');
  }
  return out;
}

export function pluginListJson(pluginPath: readonly string[], report: Report): string {
  return `${JSON.stringify({
    pluginPath,
    plugins: report.loaded.flatMap((p) => p.plugins.map((c) => ({
      class: c.className, type: c.type, version: c.version, aliases: c.aliases, package: p.name, packageVersion: p.version, folder: p.folder,
    }))),
    packages: report.loaded.map((p) => ({ name: p.name, version: p.version, sdkVersion: p.sdkVersion, folder: p.folder })),
    refused: report.refused.map((r) => ({ folder: r.folder, kind: r.kind, reason: r.reason })),
  })}\n`;
}
