/** The version every MirrorMaker connector plugin reports. */
export const MIRROR_CONNECTORS_VERSION = '0.1.0';
