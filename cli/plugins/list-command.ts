/**
 * `ferry plugins list [--plugin-path DIRS | WORKER.properties] [--json]`: what a worker with this
 * plugin path would load (class, type, version, package) and what it would refuse, with the
 * reasons a worker logs. It loads the packages exactly as a worker does (their modules' top-level
 * code runs in this process) and starts nothing. Refusals are reported, not errors: the exit code
 * is 0 unless the plugin path itself cannot be determined.
 */
import { defineCommand } from '../command-line/command-spec.js';
import { readPropertiesArgument } from '../command-line/properties-argument.js';
import { UsageError, UserError } from '../command-line/user-error.js';
import { JSON_OPTION } from '../kafka-tools/cluster-options.js';
import { pluginListJson, pluginListTable } from './list-views.js';

export const listCommand = defineCommand({
  name: 'list',
  summary: 'what a worker would load from its plugin.path, and what it would refuse and why',
  description: 'The plugin path is --plugin-path, else the plugin.path of the worker properties file given. '
    + 'Each directory is a plugin package (a folder with package.json) or holds package folders one level down.',
  options: {
    'plugin-path': { type: 'string', valueName: 'DIRS', description: 'comma-separated directories, as the worker property plugin.path' },
    ...JSON_OPTION,
  },
  positionals: [{ name: 'file', valueName: 'WORKER.properties', optional: true, description: 'worker properties whose plugin.path to read' }],
  async run({ options, args, io }) {
    const pluginPath = await pluginPathOf(options['plugin-path'], args.file);
    const [{ loadPluginPath }, { builtinPlugins }] = await Promise.all([
      import('../../runtime/plugins/plugin-path-loader.js'),
      import('../../runtime/plugins/builtin-plugins.js'),
    ]);
    const report = await loadPluginPath(pluginPath, builtinPlugins());
    io.stdout.write(options.json ? pluginListJson(pluginPath, report) : pluginListTable(pluginPath, report));
  },
});

async function pluginPathOf(option: string | undefined, file: string | undefined): Promise<string[]> {
  if (option !== undefined) {
    const dirs = splitList(option);
    if (dirs.length === 0) throw new UsageError('--plugin-path names no directory');
    return dirs;
  }
  if (file === undefined) throw new UsageError('name the plugin path: --plugin-path DIRS, or a worker properties file that sets plugin.path', true);
  const value = (await readPropertiesArgument(file))['plugin.path'];
  const dirs = splitList(value ?? '');
  if (dirs.length === 0) throw new UserError(`${file} sets no plugin.path: a worker loads the bundled plugins only`);
  return dirs;
}

function splitList(value: string): string[] {
  return value.split(',').map((d) => d.trim()).filter((d) => d !== '');
}
