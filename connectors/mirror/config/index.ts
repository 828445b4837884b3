/** The MirrorMaker connectors' config specs and typed settings. */
export { clientProperties, type ClientRole, type ClusterSide } from './client-properties.js';
export { mirrorCommonSpec, mirrorTopicFilterSpec, type MirrorCommonSettings } from './mirror-common-config.js';
export { mirrorCheckpointSettings, mirrorCheckpointSpec, type MirrorCheckpointSettings } from './mirror-checkpoint-config.js';
export { mirrorHeartbeatSettings, mirrorHeartbeatSpec, type MirrorHeartbeatSettings } from './mirror-heartbeat-config.js';
export { mirrorSourceSettings, mirrorSourceSpec, type MirrorSourceSettings } from './mirror-source-config.js';
