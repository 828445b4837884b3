/**
 * The built-in single message transforms by every name they answer to: the Kafka class name
 * (`org.apache.kafka.connect.transforms.InsertField$Value`) and the short name
 * (`InsertField$Value`). Kafka itself cannot offer short names for `$Key`/`$Value` classes
 * (their simple names `Key`/`Value` collide); ferry accepts them as well.
 */
import type { TransformPlugin } from '../../../connectors/sdk/transform.js';
import { castPlugins } from './cast.js';
import { dropHeadersPlugin } from './drop-headers.js';
import { extractFieldPlugins } from './extract-field.js';
import { filterPlugin } from './filter.js';
import { flattenPlugins } from './flatten.js';
import { headerFromPlugins } from './header-from.js';
import { hoistFieldPlugins } from './hoist-field.js';
import { insertFieldPlugins } from './insert-field.js';
import { insertHeaderPlugin } from './insert-header.js';
import { maskFieldPlugins } from './mask-field.js';
import { regexRouterPlugin } from './regex-router.js';
import { replaceFieldPlugins } from './replace-field.js';
import { setSchemaMetadataPlugins } from './set-schema-metadata.js';
import { timestampConverterPlugins } from './timestamp-converter.js';
import { timestampRouterPlugin } from './timestamp-router.js';
import { valueToKeyPlugin } from './value-to-key.js';

/** Each built-in transform class once, in documentation order. */
export const BUILTIN_TRANSFORM_PLUGINS: readonly TransformPlugin[] = [
  ...insertFieldPlugins,
  ...replaceFieldPlugins,
  ...maskFieldPlugins,
  valueToKeyPlugin,
  ...hoistFieldPlugins,
  ...extractFieldPlugins,
  ...setSchemaMetadataPlugins,
  timestampRouterPlugin,
  regexRouterPlugin,
  ...flattenPlugins,
  ...castPlugins,
  ...timestampConverterPlugins,
  filterPlugin,
  insertHeaderPlugin,
  dropHeadersPlugin,
  ...headerFromPlugins,
];

export const builtinTransforms: ReadonlyMap<string, TransformPlugin> = new Map(
  BUILTIN_TRANSFORM_PLUGINS.flatMap((p) => [p.className, ...p.aliases].map((name) => [name, p] as const)),
);
