/**
 * The keys the S3 sink and the S3 source share: where the bucket is, how to sign in, how S3
 * requests are retried, and the layout of object names (Confluent's names and defaults).
 */
import { boolean, int, long, password, string, validators } from '../../sdk/config/config-spec.js';

const S3 = 'S3';
const LAYOUT = 'Layout';

/** Bucket names: 3–63 characters of lower-case letters, digits, dots and hyphens. */
const BUCKET_NAME = validators.matches(/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/, '3-63 lower-case letters, digits, "." or "-"');

export const s3ConnectionFields = {
  's3.bucket.name': string({
    doc: 'The S3 bucket objects are written to (sink) or read from (source).',
    importance: 'HIGH', group: S3, validator: BUCKET_NAME,
  }),
  's3.region': string({
    doc: 'The AWS region of the bucket.',
    default: 'us-west-2', importance: 'MEDIUM', group: S3, validator: validators.nonEmptyString(),
  }),
  'store.url': string({
    doc: 'The S3 endpoint to use instead of AWS (MinIO, Ceph, s3rver, ...), e.g. http://localhost:9000. With it, '
      + 'request checksums are sent and response checksums checked only where S3 requires them, which stores that '
      + 'do not understand aws-chunked uploads need.',
    default: null, importance: 'MEDIUM', group: S3,
  }),
  's3.path.style.access.enabled': boolean({
    doc: 'Address the bucket in the path (http://host/bucket/key) instead of the host name (http://bucket.host/key).',
    default: true, importance: 'LOW', group: S3,
  }),
  'aws.access.key.id': password({
    doc: 'The AWS access key id. Empty: the AWS SDK\'s default credential chain (environment, shared files, '
      + 'container and instance roles).',
    default: '', importance: 'HIGH', group: S3,
  }),
  'aws.secret.access.key': password({
    doc: 'The AWS secret access key that goes with aws.access.key.id.',
    default: '', importance: 'HIGH', group: S3,
  }),
  's3.part.retries': int({
    doc: 'How many times one S3 request (a part upload, a list, a read) is retried after a transient failure '
      + '(5xx, SlowDown, throttling, timeouts, dropped connections) before the task hands the failure to the runtime.',
    default: 3, importance: 'MEDIUM', group: S3, validator: validators.atLeast(0),
  }),
  's3.retry.backoff.ms': long({
    doc: 'The first back-off between retries of an S3 request; it doubles on each retry (with jitter), up to 20 s.',
    default: 200, importance: 'LOW', group: S3, validator: validators.atLeast(0),
  }),
  's3.request.timeout.ms': long({
    doc: 'How long one S3 request may take before it is abandoned and retried as a timeout (ferry).',
    default: 60000, importance: 'LOW', group: S3, validator: validators.atLeast(1),
  }),
  'topics.dir': string({
    doc: 'The top-level prefix of every object key. Empty: keys start with the topic name.',
    default: 'topics', importance: 'HIGH', group: LAYOUT,
  }),
  'directory.delim': string({
    doc: 'The delimiter between the parts of an object key\'s directory.',
    default: '/', importance: 'LOW', group: LAYOUT, validator: validators.nonEmptyString(),
  }),
  'file.delim': string({
    doc: 'The delimiter between topic, Kafka partition and start offset in object file names.',
    default: '+', importance: 'LOW', group: LAYOUT, validator: validators.nonEmptyString(),
  }),
  'filename.offset.zero.pad.width': int({
    doc: 'Width to which the start offset in file names is zero-padded, so names sort in offset order.',
    default: 10, importance: 'LOW', group: LAYOUT, validator: validators.atLeast(0),
  }),
  'format.bytearray.extension': string({
    doc: 'The file extension of ByteArray value files.',
    default: '.bin', importance: 'LOW', group: LAYOUT, validator: validators.nonEmptyString(),
  }),
  'format.bytearray.separator': string({
    doc: 'What follows each value in ByteArray files, with Java escapes (\\n, \\r, \\t, \\\\, \\uXXXX). Unset: the '
      + 'line separator "\\n". The S3 source splits ByteArray files on it, so values must not contain it to be restored.',
    default: null, importance: 'LOW', group: LAYOUT,
  }),
} as const;
