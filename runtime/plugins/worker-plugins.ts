/**
 * The plugins a worker runs: the bundled ones, plus the packages on its `plugin.path` (when
 * set), with one log line per loaded or refused package. A refused package never stops the
 * worker: it runs everything else.
 */
import type { Logger } from 'pino';
import { builtinPlugins } from './builtin-plugins.js';
import { loadPluginPath, logPluginPathReport } from './plugin-path-loader.js';
import type { PluginRegistry } from './plugin-registry.js';

export async function workerPlugins(pluginPath: readonly string[] | null, logger: Logger): Promise<PluginRegistry> {
  const bundled = builtinPlugins();
  if (pluginPath === null || pluginPath.length === 0) return bundled;
  const report = await loadPluginPath(pluginPath, bundled);
  logPluginPathReport(report, logger);
  return report.registry;
}
