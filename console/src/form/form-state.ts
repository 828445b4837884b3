/**
 * What the user has entered in a connector form, and the config that follows from it.
 *
 * Invariants:
 * - `values` holds only keys the user set (typed, imported, or loaded from an existing connector),
 *   never values copied from a validate answer (which shows passwords as "[hidden]") and never
 *   `connector.class` (that is `connectorClass`). An emptied field is removed: it falls back to
 *   its default.
 * - A loaded secret (a PASSWORD key of an existing connector) is kept in `values` as loaded, but
 *   listed in `masked` until the user types a new one: the form shows no text for it, the JSON
 *   view and downloads show MASK instead, and text coming back with MASK for that key keeps the
 *   loaded secret. `${provider:path:key}` references are never masked: they are not secrets.
 * - Values are never rewritten behind the user's back, so references stay exactly as written.
 * - The submitted config is `name`, `connector.class`, and every set key whose value differs from
 *   its default; keys that were loaded or imported (`kept`) are sent even when equal to the
 *   default, so an edit or an upload does not silently drop what the user wrote.
 */
import type { ConfigInfos, ConfigKeyInfo } from '../api/types.js';

/** What the JSON view and downloads show for a loaded secret the user has not changed. */
export const MASK = '********';

export const NAME_KEY = 'name';
export const CLASS_KEY = 'connector.class';

export interface FormState {
  connectorClass: string;
  values: Readonly<Record<string, string>>;
  kept: ReadonlySet<string>;
  masked: ReadonlySet<string>;
  touched: ReadonlySet<string>;
  /** Set by "Validate" and by a submit attempt: every error is shown, touched or not. */
  showAllErrors: boolean;
}

export type Definitions = ReadonlyMap<string, ConfigKeyInfo>;

/** `${provider:path:key}` (or `${provider:key}`): resolved by the worker, kept as written. */
export function isProviderReference(value: string): boolean {
  return /\$\{[^}:]+:[^}]*\}/.test(value);
}

export function definitionsOf(infos: ConfigInfos | null): Definitions {
  const map = new Map<string, ConfigKeyInfo>();
  for (const config of infos?.configs ?? []) {
    if (config.definition) map.set(config.definition.name, config.definition);
  }
  return map;
}

function put(values: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
}

function withoutClass(config: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (key !== CLASS_KEY) put(values, key, value);
  return values;
}

/** An empty form for a new connector of `connectorClass`. */
export function newFormState(connectorClass: string): FormState {
  return { connectorClass, values: {}, kept: new Set(), masked: new Set(), touched: new Set(), showAllErrors: false };
}

/** A form holding an existing connector's config; its PASSWORD values are masked. */
export function loadedFormState(config: Readonly<Record<string, string>>, definitions: Definitions): FormState {
  const values = withoutClass(config);
  const keys = Object.keys(values);
  const masked = keys.filter((key) => definitions.get(key)?.type === 'PASSWORD' && !isProviderReference(values[key]!));
  return {
    connectorClass: config[CLASS_KEY] ?? '',
    values,
    kept: new Set(keys),
    masked: new Set(masked),
    touched: new Set(keys),
    showAllErrors: false,
  };
}

/** The user typed `value` into `key`'s field; an empty value (except for `name`) unsets the key. */
export function setValue(state: FormState, key: string, value: string): FormState {
  const values: Record<string, string> = {};
  let placed = false;
  for (const [k, v] of Object.entries(state.values)) {
    if (k !== key) put(values, k, v);
    else if (value !== '' || key === NAME_KEY) {
      put(values, k, value);
      placed = true;
    }
  }
  if (!placed && (value !== '' || key === NAME_KEY)) put(values, key, value);
  const masked = new Set(state.masked);
  masked.delete(key);
  return { ...state, values, masked, touched: new Set(state.touched).add(key) };
}

/** The user left `key`'s field: its errors may show from now on. */
export function touch(state: FormState, key: string): FormState {
  return state.touched.has(key) ? state : { ...state, touched: new Set(state.touched).add(key) };
}

export function showAllErrors(state: FormState): FormState {
  return state.showAllErrors ? state : { ...state, showAllErrors: true };
}

/**
 * The form after the user replaced its config with text (JSON view, paste, upload). A MASK value
 * for a still-masked key keeps the loaded secret; `connector.class` in the text picks the plugin.
 */
export function replaceConfig(state: FormState, config: Readonly<Record<string, string>>): FormState {
  const values: Record<string, string> = {};
  const masked = new Set<string>();
  for (const [key, value] of Object.entries(withoutClass(config))) {
    if (value === MASK && state.masked.has(key)) {
      put(values, key, state.values[key]!);
      masked.add(key);
    } else {
      put(values, key, value);
    }
  }
  const keys = Object.keys(values);
  return {
    connectorClass: config[CLASS_KEY] ?? state.connectorClass,
    values,
    kept: new Set(keys),
    masked,
    touched: new Set([...state.touched, ...keys]),
    showAllErrors: state.showAllErrors,
  };
}

function isWorthSending(state: FormState, key: string, value: string, definitions: Definitions): boolean {
  if (state.kept.has(key)) return true;
  const definition = definitions.get(key);
  return definition === undefined || definition.default_value === null || definition.default_value !== value;
}

/** The config to send: name, connector.class, then the set keys that matter, in the order set. */
export function configToSubmit(state: FormState, definitions: Definitions): Record<string, string> {
  const config: Record<string, string> = {};
  put(config, NAME_KEY, state.values[NAME_KEY] ?? '');
  put(config, CLASS_KEY, state.connectorClass);
  for (const [key, value] of Object.entries(state.values)) {
    if (key !== NAME_KEY && isWorthSending(state, key, value, definitions)) put(config, key, value);
  }
  return config;
}

/** The config as the JSON view and downloads show it: like configToSubmit, loaded secrets as MASK. */
export function configForText(state: FormState, definitions: Definitions): Record<string, string> {
  const config = configToSubmit(state, definitions);
  for (const key of state.masked) if (Object.hasOwn(config, key)) put(config, key, MASK);
  return config;
}

/** The connector name as typed: it goes into the URL and into the config unchanged, so they match. */
export function connectorName(state: FormState): string {
  return state.values[NAME_KEY] ?? '';
}
