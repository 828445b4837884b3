/** The plugin descriptor of MirrorMaker 2's MirrorCheckpointConnector, as ferry implements it. */
import type { SourceConnectorPlugin } from '../../sdk/plugin.js';
import { mirrorCheckpointSpec } from '../config/mirror-checkpoint-config.js';
import { MIRROR_CONNECTORS_VERSION } from '../version.js';
import { MirrorCheckpointConnector } from './mirror-checkpoint-connector.js';
import { MirrorCheckpointTask } from './mirror-checkpoint-task.js';

export const mirrorCheckpointPlugin: SourceConnectorPlugin = Object.freeze({
  className: 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
  aliases: Object.freeze(['MirrorCheckpointConnector', 'MirrorCheckpoint']),
  kind: 'source',
  version: MIRROR_CONNECTORS_VERSION,
  taskClassName: 'org.apache.kafka.connect.mirror.MirrorCheckpointTask',
  configSpec: mirrorCheckpointSpec,
  createConnector: () => new MirrorCheckpointConnector(),
  createTask: () => new MirrorCheckpointTask(),
});
