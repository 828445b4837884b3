/** The plugin descriptor of MirrorMaker 2's MirrorHeartbeatConnector, as ferry implements it. */
import type { SourceConnectorPlugin } from '../../sdk/plugin.js';
import { mirrorHeartbeatSpec } from '../config/mirror-heartbeat-config.js';
import { MIRROR_CONNECTORS_VERSION } from '../version.js';
import { MirrorHeartbeatConnector } from './mirror-heartbeat-connector.js';
import { MirrorHeartbeatTask } from './mirror-heartbeat-task.js';

export const mirrorHeartbeatPlugin: SourceConnectorPlugin = Object.freeze({
  className: 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
  aliases: Object.freeze(['MirrorHeartbeatConnector', 'MirrorHeartbeat']),
  kind: 'source',
  version: MIRROR_CONNECTORS_VERSION,
  taskClassName: 'org.apache.kafka.connect.mirror.MirrorHeartbeatTask',
  configSpec: mirrorHeartbeatSpec,
  createConnector: () => new MirrorHeartbeatConnector(),
  createTask: () => new MirrorHeartbeatTask(),
});
