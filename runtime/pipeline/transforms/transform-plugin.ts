/**
 * Building blocks of the built-in transform descriptors: the Kafka class names they answer to
 * (`org.apache.kafka.connect.transforms.X`, `...X$Key` / `...X$Value`) with their short names as
 * aliases, and config keys several transforms share.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RecordTransform, Transform, TransformPlugin } from '../../../connectors/sdk/transform.js';
import { boolean, type ConfigFields, type ConfigSpec } from '../../../connectors/sdk/config/config-spec.js';
import type { RecordPart } from './record-part.js';

/** Version reported for every built-in transform and predicate. */
export const BUILTIN_PLUGIN_VERSION = '0.1.0';

export const TRANSFORMS_PACKAGE = 'org.apache.kafka.connect.transforms';

export function transformPlugin(
  simpleName: string,
  description: string,
  configSpec: ConfigSpec<ConfigFields>,
  factory: () => RecordTransform,
): TransformPlugin {
  return {
    className: `${TRANSFORMS_PACKAGE}.${simpleName}`,
    aliases: [simpleName],
    version: BUILTIN_PLUGIN_VERSION,
    configSpec,
    description,
    create<R extends ConnectRecord>(): Transform<R> {
      return factory();
    },
  };
}

/** The `$Key` and `$Value` variants of a transform, in that order. */
export function keyValuePlugins(
  simpleName: string,
  description: string,
  configSpec: ConfigSpec<ConfigFields>,
  factory: (part: RecordPart) => RecordTransform,
): TransformPlugin[] {
  return [
    transformPlugin(`${simpleName}$Key`, `${description} Applies to the record key.`, configSpec, () => factory('key')),
    transformPlugin(`${simpleName}$Value`, `${description} Applies to the record value.`, configSpec, () => factory('value')),
  ];
}

/** `replace.null.with.default` (Kafka 3.9, KIP-1040). */
export function replaceNullWithDefaultField() {
  return boolean({
    doc: 'Whether a null field that has a default value in its schema is read as that default (true) or kept null (false).',
    default: true, importance: 'MEDIUM', since: '3.9',
  });
}
