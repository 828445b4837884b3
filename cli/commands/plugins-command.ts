/**
 * `ferry plugins`: user plugins on a worker's plugin.path. `list` shows what a worker would load
 * and refuse (cli/plugins/list-command.ts). Each command loads only when it runs.
 */
import { defineGroup, lazyCommand } from '../command-line/command-spec.js';

export const pluginsCommand = defineGroup({
  name: 'plugins',
  summary: 'plugins from plugin.path: list what a worker would load and refuse',
  commands: [
    lazyCommand('list', 'what a worker would load from its plugin.path, and what it would refuse and why',
      async () => (await import('../plugins/list-command.js')).listCommand),
  ],
});
