/** The version every file connector plugin reports. */
export const FILE_CONNECTORS_VERSION = '0.1.0';
