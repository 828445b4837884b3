/** The version both S3 connector plugins report. */
export const S3_CONNECTORS_VERSION = '0.1.0';
