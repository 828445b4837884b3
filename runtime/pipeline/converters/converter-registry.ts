/**
 * Finds converter classes by the names users write in `key.converter`, `value.converter` and
 * `header.converter`: the Kafka class name, or an alias as Kafka computes it (the simple class
 * name, and the simple name without its `Converter` / `HeaderConverter` suffix, e.g. `Json`,
 * `StringConverter`, `Simple`). An alias shared by two registered classes resolves to neither.
 *
 * The registry holds classes only; every `create*` call returns a new, configured instance.
 */
import type { Converter, ConverterClass, ConverterConfigs, HeaderConverter } from '../../../connectors/sdk/converter.js';
import { ConnectError } from '../../../connectors/sdk/errors.js';
import type { ConfigFields, ConfigSpec } from '../../../connectors/sdk/config/config-spec.js';
import { AvroConverter } from './avro-converter.js';
import { ByteArrayConverter } from './byte-array-converter.js';
import { JsonConverter } from './json-converter.js';
import { JsonSchemaConverter } from './json-schema-converter.js';
import { ProtobufConverter } from './protobuf-converter.js';
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters.js';
import { SimpleHeaderConverter } from './simple-header-converter.js';
import { StringConverter } from './string-converter.js';

export type ConverterKind = 'converter' | 'header-converter';

export interface ConverterPluginInfo {
  readonly className: string;
  readonly kinds: readonly ConverterKind[];
  readonly aliases: readonly string[];
  readonly configSpec: ConfigSpec<ConfigFields>;
}

export const BUILTIN_CONVERTER_CLASSES: readonly ConverterClass[] = [
  JsonConverter,
  StringConverter,
  ByteArrayConverter,
  SimpleHeaderConverter,
  ShortConverter,
  IntegerConverter,
  LongConverter,
  FloatConverter,
  DoubleConverter,
  BooleanConverter,
  AvroConverter,
  JsonSchemaConverter,
  ProtobufConverter,
];

export class ConverterRegistry {
  private readonly classes = new Map<string, ConverterClass>();
  private aliases = new Map<string, string>();

  constructor(classes: readonly ConverterClass[] = BUILTIN_CONVERTER_CLASSES) {
    for (const c of classes) this.classes.set(c.className, c);
    this.computeAliases();
  }

  register(converterClass: ConverterClass): void {
    this.classes.set(converterClass.className, converterClass);
    this.computeAliases();
  }

  /** The class named by a Kafka class name or a unique alias. */
  resolve(name: string): ConverterClass | undefined {
    const trimmed = name.trim();
    return this.classes.get(trimmed) ?? this.classes.get(this.aliases.get(trimmed) ?? '');
  }

  /** A new converter of the named class, configured for keys or values. */
  createConverter(name: string, configs: ConverterConfigs, isKey: boolean): Converter {
    const cls = this.resolve(name);
    if (cls === undefined || !kindsOf(cls).includes('converter')) throw this.notFound(name, 'Converter', 'converter');
    const converter = new cls() as Converter;
    converter.configure(configs, isKey);
    return converter;
  }

  /** A new header converter of the named class, configured. */
  createHeaderConverter(name: string, configs: ConverterConfigs): HeaderConverter {
    const cls = this.resolve(name);
    if (cls === undefined || !kindsOf(cls).includes('header-converter')) throw this.notFound(name, 'HeaderConverter', 'header-converter');
    const converter = new cls() as HeaderConverter;
    converter.configure(configs);
    return converter;
  }

  list(): ConverterPluginInfo[] {
    return [...this.classes.values()].map((c) => ({
      className: c.className,
      kinds: kindsOf(c),
      aliases: [...this.aliases].filter(([, target]) => target === c.className).map(([alias]) => alias),
      configSpec: c.configSpec,
    }));
  }

  private notFound(name: string, type: string, kind: ConverterKind): ConnectError {
    const available = [...this.classes.values()].filter((c) => kindsOf(c).includes(kind)).map((c) => c.className);
    return new ConnectError(
      `Failed to find any class that implements ${type} and which name matches ${name}, available ${kind}s are: ${available.join(', ')}`,
    );
  }

  private computeAliases(): void {
    const candidates = new Map<string, Set<string>>();
    const add = (alias: string, className: string) => {
      if (!candidates.has(alias)) candidates.set(alias, new Set());
      candidates.get(alias)!.add(className);
    };
    for (const c of this.classes.values()) {
      const simple = c.className.slice(c.className.lastIndexOf('.') + 1);
      add(simple, c.className);
      for (const kind of kindsOf(c)) add(pruned(simple, kind === 'converter' ? 'Converter' : 'HeaderConverter'), c.className);
    }
    this.aliases = new Map([...candidates].filter(([, targets]) => targets.size === 1).map(([alias, targets]) => [alias, [...targets][0]]));
  }
}

function pruned(simpleName: string, suffix: string): string {
  const at = simpleName.lastIndexOf(suffix);
  return at > 0 ? simpleName.slice(0, at) : simpleName;
}

function kindsOf(cls: ConverterClass): ConverterKind[] {
  const proto = cls.prototype as Partial<Converter & HeaderConverter>;
  const kinds: ConverterKind[] = [];
  if (typeof proto.toConnectData === 'function') kinds.push('converter');
  if (typeof proto.toConnectHeader === 'function') kinds.push('header-converter');
  return kinds;
}
