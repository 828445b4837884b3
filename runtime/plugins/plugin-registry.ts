/**
 * Every plugin this worker can run: connectors, converters, transforms and predicates,
 * found by their Kafka class names or aliases. Backs `connector.class` resolution, the
 * connector-plugins REST endpoints and config validation.
 */
import type { ConnectorPlugin } from '../../connectors/sdk/plugin.js';
import type { PredicatePlugin, TransformPlugin } from '../../connectors/sdk/transform.js';
import type { ConfigFields, ConfigKeyInfo, ConfigSpec } from '../../connectors/sdk/config/config-spec.js';
import type { ConverterPlugin } from '../../connectors/sdk/plugin-package.js';
import { ConverterRegistry } from '../pipeline/converters/converter-registry.js';
import type { PluginInfo } from '../control/cluster-control.js';
import type { PluginRegistries } from '../pipeline/transform-chain.js';

export interface PluginSets {
  connectors: readonly ConnectorPlugin[];
  transforms: readonly TransformPlugin[];
  predicates: readonly PredicatePlugin[];
  converters?: ConverterRegistry;
  /** Versions of converter classes by class name (plugins' converters carry one; the bundled ones report none). */
  converterVersions?: ReadonlyMap<string, string>;
}

/** Plugins added to a registry, e.g. those loaded from plugin.path. */
export interface AddedPlugins {
  readonly connectors: readonly ConnectorPlugin[];
  readonly transforms: readonly TransformPlugin[];
  readonly predicates: readonly PredicatePlugin[];
  readonly converters: readonly ConverterPlugin[];
}

export class PluginRegistry {
  readonly converters: ConverterRegistry;
  private readonly connectorsByName = new Map<string, ConnectorPlugin>();
  private readonly transformsByName = new Map<string, TransformPlugin>();
  private readonly predicatesByName = new Map<string, PredicatePlugin>();

  constructor(readonly sets: PluginSets) {
    this.converters = sets.converters ?? new ConverterRegistry();
    for (const p of sets.connectors) for (const n of [p.className, ...p.aliases]) this.connectorsByName.set(n, p);
    for (const p of sets.transforms) for (const n of [p.className, ...p.aliases]) this.transformsByName.set(n, p);
    for (const p of sets.predicates) for (const n of [p.className, ...p.aliases]) this.predicatesByName.set(n, p);
  }

  /**
   * A new registry with these plugins after this one's. Names are not checked here: the caller
   * (plugin-path-loader.ts) refuses clashes before adding. Converters join the same registry the
   * bundled ones are resolved from, so `value.converter` finds them by class name or alias.
   */
  withPlugins(added: AddedPlugins): PluginRegistry {
    const converters = new ConverterRegistry(this.converters.list().map((c) => this.converters.resolve(c.className)!));
    const converterVersions = new Map(this.sets.converterVersions);
    for (const c of added.converters) {
      converters.register(c);
      converterVersions.set(c.className, c.version);
    }
    return new PluginRegistry({
      connectors: [...this.sets.connectors, ...added.connectors],
      transforms: [...this.sets.transforms, ...added.transforms],
      predicates: [...this.sets.predicates, ...added.predicates],
      converters,
      converterVersions,
    });
  }

  connector(name: string): ConnectorPlugin | undefined {
    return this.connectorsByName.get(name.trim());
  }

  transform(name: string): TransformPlugin | undefined {
    return this.transformsByName.get(name.trim());
  }

  predicate(name: string): PredicatePlugin | undefined {
    return this.predicatesByName.get(name.trim());
  }

  /**
   * Every transform and predicate by each of its names, for tasks to build their transform chains
   * from: the same plugins validation accepts (the runtime's built-ins and the connectors' own,
   * such as Debezium's ExtractNewRecordState).
   */
  transformPlugins(): PluginRegistries {
    return { transforms: this.transformsByName, predicates: this.predicatesByName };
  }

  /** Kafka Connect's message for an unknown connector class. */
  unknownConnectorMessage(name: string): string {
    const available = this.sets.connectors.map((p) => p.className).join(', ');
    return `Failed to find any class that implements Connector and which name matches ${name}, available connectors are: ${available}`;
  }

  infos(connectorsOnly: boolean): PluginInfo[] {
    const out: PluginInfo[] = this.sets.connectors.map((p) => ({ class: p.className, type: p.kind, version: p.version }));
    if (connectorsOnly) return out;
    for (const c of this.converters.list()) {
      const version = this.sets.converterVersions?.get(c.className);
      for (const kind of c.kinds) {
        out.push({ class: c.className, type: kind === 'converter' ? 'converter' : 'header_converter', ...(version === undefined ? {} : { version }) });
      }
    }
    for (const t of this.sets.transforms) out.push({ class: t.className, type: 'transformation', version: t.version });
    for (const p of this.sets.predicates) out.push({ class: p.className, type: 'predicate', version: p.version });
    return out;
  }

  /** The config spec of any plugin by name, with its kind; undefined when unknown. */
  configSpecOf(name: string): { kind: PluginInfo['type']; spec: ConfigSpec<ConfigFields> } | undefined {
    const connector = this.connector(name);
    if (connector) return { kind: connector.kind, spec: connector.configSpec };
    const transform = this.transform(name);
    if (transform) return { kind: 'transformation', spec: transform.configSpec };
    const predicate = this.predicate(name);
    if (predicate) return { kind: 'predicate', spec: predicate.configSpec };
    const converter = this.converters.list().find((c) => c.className === name || c.aliases.includes(name));
    if (converter) return { kind: converter.kinds.includes('converter') ? 'converter' : 'header_converter', spec: converter.configSpec };
    return undefined;
  }
}

export type { ConfigKeyInfo };
