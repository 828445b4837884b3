/**
 * Validates a connector config the way Kafka Connect does for create, update and the
 * validate endpoint: the framework keys for the connector's kind, the keys each configured
 * transform and predicate implies, the plugin's own keys, and the plugin's cross-field rules,
 * all reported per field as Kafka's ConfigInfos. A distributed worker then runs the
 * exactly-once preflight checks on source connectors (exactly-once-preflight.ts).
 */
import type { Connector } from '../../connectors/sdk/connector.js';
import type { ConnectorPlugin } from '../../connectors/sdk/plugin.js';
import { addIssues, type ConfigInfos, type FieldIssue } from '../../connectors/sdk/config/config-spec.js';
import { enrichConnectorSpec, sinkConnectorSpec, sourceConnectorSpec } from '../config/connector-config.js';
import { BadRequestError, PluginNotFoundError } from '../errors.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { exactlyOnceSourceIssues, type ExactlyOnceSourceSupport } from './exactly-once-preflight.js';

export interface ConnectorValidation {
  plugin: ConnectorPlugin;
  infos: ConfigInfos;
  /** `key: message` lines, as Kafka's 400 message lists them. */
  errors: string[];
}

export interface ConnectorValidationOptions {
  topicCreationEnabled?: boolean;
  /** Distributed workers only: the worker's exactly.once.source.support; absent skips the preflight checks (standalone). */
  exactlyOnceSourceSupport?: ExactlyOnceSourceSupport;
}

export function validateConnectorConfig(
  plugins: PluginRegistry,
  raw: Record<string, string | null>,
  options: ConnectorValidationOptions = {},
): ConnectorValidation {
  const className = raw['connector.class'];
  if (className === undefined || className === null || className.trim() === '') {
    throw new BadRequestError(`Connector config ${JSON.stringify(raw)} contains no connector type`);
  }
  const plugin = plugins.connector(className);
  if (!plugin) throw new PluginNotFoundError(plugins.unknownConnectorMessage(className));
  const base = plugin.kind === 'sink' ? sinkConnectorSpec : sourceConnectorSpec;
  const spec = enrichConnectorSpec(base, raw, {
    transformSpec: (name) => plugins.transform(name)?.configSpec ?? `Class ${name} could not be found.`,
    predicateSpec: (name) => plugins.predicate(name)?.configSpec ?? `Class ${name} could not be found.`,
    topicCreationEnabled: options.topicCreationEnabled ?? true,
  }).merge(plugin.configSpec, { onConflict: 'override' });
  let validation = spec.validate(raw);
  const crossField: FieldIssue[] = [];
  const stringConfig = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)) as Record<string, string>;
  let connector: Connector | undefined;
  if (validation.isValid) {
    try {
      connector = plugin.createConnector();
      crossField.push(...(connector.validate?.(stringConfig) ?? []));
    } catch (err) {
      crossField.push({ name: 'connector.class', message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (crossField.length > 0) validation = addIssues(validation, crossField);
  if (plugin.kind === 'source' && options.exactlyOnceSourceSupport !== undefined) {
    const errorsOf = new Map(validation.values.map((v) => [v.name, v.errors.length]));
    try {
      connector ??= plugin.createConnector();
      const preflight = exactlyOnceSourceIssues(connector, stringConfig, options.exactlyOnceSourceSupport, (key) => (errorsOf.get(key) ?? 0) > 0);
      if (preflight.length > 0) validation = addIssues(validation, preflight);
    } catch (err) {
      validation = addIssues(validation, [{ name: 'connector.class', message: err instanceof Error ? err.message : String(err) }]);
    }
  }
  const infos = spec.toConfigInfos(className, validation);
  const errors = infos.configs.flatMap((c) => (c.value?.errors ?? []).map((e) => `${c.value!.name}: ${e}`));
  return { plugin, infos, errors };
}
