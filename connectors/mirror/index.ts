/** MirrorMaker 2's three connectors' plugin descriptors. */
export { mirrorCheckpointPlugin } from './checkpoint/index.js';
export { mirrorHeartbeatPlugin } from './heartbeat/index.js';
export { mirrorSourcePlugin } from './source/mirror-source-plugin.js';
