/** Building blocks of the built-in predicate descriptors (`org.apache.kafka.connect.transforms.predicates.X`). */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { Predicate, PredicatePlugin, RecordPredicate } from '../../../connectors/sdk/transform.js';
import type { ConfigFields, ConfigSpec } from '../../../connectors/sdk/config/config-spec.js';
import { BUILTIN_PLUGIN_VERSION, TRANSFORMS_PACKAGE } from '../transforms/transform-plugin.js';

export const PREDICATES_PACKAGE = `${TRANSFORMS_PACKAGE}.predicates`;

export function predicatePlugin(
  simpleName: string,
  description: string,
  configSpec: ConfigSpec<ConfigFields>,
  factory: () => RecordPredicate,
): PredicatePlugin {
  return {
    className: `${PREDICATES_PACKAGE}.${simpleName}`,
    aliases: [simpleName],
    version: BUILTIN_PLUGIN_VERSION,
    configSpec,
    description,
    create<R extends ConnectRecord>(): Predicate<R> {
      return factory();
    },
  };
}
