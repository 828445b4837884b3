/**
 * @aws-sdk/client-s3, loaded the first time an S3Store is opened and then shared by every store
 * of the process. Importing the S3 connectors (the worker's plugin list does) does not load the
 * SDK, which adds about 6 MB of RSS to a process that has loaded the plugin list.
 */
import type * as S3Sdk from '@aws-sdk/client-s3';

export type S3Module = typeof S3Sdk;

let loading: Promise<S3Module> | undefined;

export function loadS3Module(): Promise<S3Module> {
  return (loading ??= import('@aws-sdk/client-s3'));
}
