/** MirrorMaker 2's heartbeat connector: plugin descriptor. */
export { mirrorHeartbeatPlugin } from './mirror-heartbeat-plugin.js';
