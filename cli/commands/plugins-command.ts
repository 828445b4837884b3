/**
 * `ferry plugins`: user plugins on a worker's plugin.path. `list` shows what a worker would load
 * and refuse (cli/plugins/list-command.ts); `new` writes a new connector plugin package
 * (cli/plugins/new-command.ts). Each command loads only when it runs.
 */
import { defineGroup, lazyCommand } from '../command-line/command-spec.js';

export const pluginsCommand = defineGroup({
  name: 'plugins',
  summary: 'plugins from plugin.path: list what a worker would load and refuse; write a new one',
  commands: [
    lazyCommand('list', 'what a worker would load from its plugin.path, and what it would refuse and why',
      async () => (await import('../plugins/list-command.js')).listCommand),
    lazyCommand('new', 'write a new connector plugin package (TypeScript, a conformance-kit test, a README)',
      async () => (await import('../plugins/new-command.js')).newCommand),
  ],
});
