/** The plugin descriptor of MirrorMaker 2's MirrorSourceConnector, as ferry implements it. */
import type { SourceConnectorPlugin } from '../../sdk/plugin.js';
import { mirrorSourceSpec } from '../config/mirror-source-config.js';
import { MIRROR_CONNECTORS_VERSION } from '../version.js';
import { MirrorSourceConnector } from './mirror-source-connector.js';
import { MirrorSourceTask } from './mirror-source-task.js';

export const mirrorSourcePlugin: SourceConnectorPlugin = Object.freeze({
  className: 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
  aliases: Object.freeze(['MirrorSourceConnector', 'MirrorSource']),
  kind: 'source',
  version: MIRROR_CONNECTORS_VERSION,
  taskClassName: 'org.apache.kafka.connect.mirror.MirrorSourceTask',
  configSpec: mirrorSourceSpec,
  createConnector: () => new MirrorSourceConnector(),
  createTask: () => new MirrorSourceTask(),
});
