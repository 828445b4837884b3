/** MirrorMaker 2's checkpoint connector: plugin descriptor and the task config key it deals groups with. */
export { ASSIGNED_GROUPS } from './assigned-groups.js';
export { mirrorCheckpointPlugin } from './mirror-checkpoint-plugin.js';
