/** The S3Store settings both connectors read from their parsed config (the shared keys). */
import type { ParsedConfig } from '../../sdk/config/config-spec.js';
import type { s3ConnectionFields } from './s3-connection-config.js';
import type { S3StoreSettings } from './s3-store.js';
import type { ObjectLayout } from './object-naming.js';

type ConnectionConfig = ParsedConfig<typeof s3ConnectionFields>;

export function storeSettingsOf(config: ConnectionConfig): S3StoreSettings {
  return {
    bucket: config.s3BucketName, region: config.s3Region, storeUrl: config.storeUrl, pathStyle: config.s3PathStyleAccessEnabled,
    accessKeyId: config.awsAccessKeyId, secretAccessKey: config.awsSecretAccessKey, retries: config.s3PartRetries,
    backoffMs: config.s3RetryBackoffMs, requestTimeoutMs: config.s3RequestTimeoutMs,
  };
}

export function layoutOf(config: ConnectionConfig): ObjectLayout {
  return {
    topicsDir: config.topicsDir, directoryDelim: config.directoryDelim, fileDelim: config.fileDelim,
    offsetPadWidth: config.filenameOffsetZeroPadWidth,
  };
}
