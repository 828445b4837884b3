/** The converters compared, and the worker properties file for running `ferry worker` alone. */
import fs from 'node:fs';
import { groupWorkerProperties } from '../../test/helpers/group-worker-properties.js';

export type ConverterId = 'json' | 'string' | 'avro';

export const CONVERTER_CLASSES: Record<ConverterId, string> = {
  json: 'org.apache.kafka.connect.json.JsonConverter',
  string: 'org.apache.kafka.connect.storage.StringConverter',
  avro: 'io.confluent.connect.avro.AvroConverter',
};

/** Converters that need a schema registry (`schema.registry.url`). */
export const REGISTRY_CONVERTERS: ReadonlySet<ConverterId> = new Set(['avro']);

/**
 * `--set` arguments for `ferry start` that select the converter for keys and values, with the
 * registry's URL for a converter that needs one.
 */
export function converterSetArgs(converter: ConverterId, registryUrl?: string): string[] {
  const args: string[] = [];
  for (const use of ['key', 'value']) {
    args.push('--set', `${use}.converter=${CONVERTER_CLASSES[converter]}`);
    if (REGISTRY_CONVERTERS.has(converter)) {
      if (registryUrl === undefined) throw new Error(`the ${converter} converter needs a schema registry`);
      args.push('--set', `${use}.converter.schema.registry.url=${registryUrl}`);
    }
  }
  return args;
}

/**
 * A distributed worker's properties: its own group and internal topics (named after
 * `group`), replication factor 1 for the single broker, a REST listener on a free port, then `extra`.
 */
export function writeWorkerProperties(
  file: string, bootstrap: string, group: string, converter: ConverterId, extra: Record<string, string> = {},
): void {
  const properties: Record<string, string> = {
    ...groupWorkerProperties(bootstrap, group),
    'key.converter': CONVERTER_CLASSES[converter],
    'value.converter': CONVERTER_CLASSES[converter],
    ...extra,
  };
  fs.writeFileSync(file, `${Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
}
