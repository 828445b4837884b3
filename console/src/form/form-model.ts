/**
 * The form to render, built from a validate answer (`PUT /connector-plugins/{class}/config/validate`)
 * and what the user has entered (form-state.ts).
 *
 * - Groups: `Common` first, then by how many HIGH-importance keys they hold (most first), then by
 *   name. A dynamic group "Transforms: a" (or "Predicates: p", one per alias the user listed)
 *   follows its parent group. Keys without a group form one group named after the plugin; set
 *   keys the plugin does not declare form "Other settings", last.
 * - Keys: by `definition.order`, ties in the answer's order; `visible: false` keys are left out.
 * - Basic view: HIGH importance, required, keys with errors, and keys the user has set; the
 *   advanced view shows every key.
 * - Errors: a field shows its errors once it was touched (or after "Validate"), and only while its
 *   value is still the one that was validated (a value typed since is waiting for its own answer).
 *   Errors of keys the plugin does not declare, or of hidden keys, go to the summary.
 */
import type { ConfigInfos, ConfigKeyInfo, ConfigType, PluginType } from '../api/types.js';
import { CLASS_KEY, isProviderReference, NAME_KEY, type FormState } from './form-state.js';
import { classKindOfKey, shortPluginName } from './plugin-catalog.js';

export type Widget = 'switch' | 'number' | 'list' | 'password' | 'select' | 'text' | 'readonly';
export type Importance = ConfigKeyInfo['importance'];

export interface FormField {
  key: string;
  displayName: string;
  documentation: string;
  type: ConfigType | null;
  widget: Widget;
  required: boolean;
  importance: Importance | null;
  defaultValue: string | null;
  /** What the input holds: '' when unset or when it is a masked secret. */
  value: string;
  /** The user has a value for this key (typed, imported or loaded). */
  isSet: boolean;
  /** A loaded secret the user has not changed. */
  masked: boolean;
  /** For switches: the value in effect (set, else default). */
  checked: boolean;
  placeholder: string;
  /** Choices for a select (the current value included). */
  options: string[];
  /** For CLASS keys: which installed plugins fit, for suggestions. */
  classKind: PluginType | null;
  /** Errors to show now. */
  errors: string[];
  /** Whether the last answer listed errors for this key, shown or not. */
  hasErrors: boolean;
}

export interface FormGroup {
  name: string;
  title: string;
  /** A per-alias group such as "Transforms: a". */
  dynamic: boolean;
  fields: FormField[];
}

export interface KeyErrors {
  key: string;
  errors: string[];
}

export interface FormModel {
  groups: FormGroup[];
  /** `error_count` of the last answer; 0 before the first. */
  errorCount: number;
  /** Errors not shown at a field: keys the plugin does not declare, hidden keys. */
  summaryErrors: KeyErrors[];
  /** Fields the basic view leaves out. */
  hiddenInBasic: number;
}

export interface ModelOptions {
  advanced: boolean;
  /** The values the last answer was computed for; a field typed since shows no stale error. */
  validatedValues?: Readonly<Record<string, string>> | null;
}

export const OTHER_GROUP = 'Other settings';
const COMMON = 'Common';

/** The widget for a key, given its definition, recommended values and current value. */
export function widgetFor(key: string, type: ConfigType | null, recommended: readonly string[], value: string): Widget {
  if (key === CLASS_KEY) return 'readonly';
  // A reference such as ${file:/secrets:port} must stay editable as text, whatever the type.
  const reference = isProviderReference(value);
  switch (type) {
    case 'BOOLEAN': return reference ? 'text' : 'switch';
    case 'INT': case 'SHORT': case 'LONG': case 'DOUBLE': return reference ? 'text' : 'number';
    case 'LIST': return 'list';
    case 'PASSWORD': return 'password';
    case 'CLASS': case 'STRING': return recommended.length > 0 && !reference ? 'select' : 'text';
    default: return 'text';
  }
}

/** Whether a key must be given: no default, and always `name` and `connector.class`. */
export function isRequired(key: string, definition: ConfigKeyInfo | null): boolean {
  return key === NAME_KEY || key === CLASS_KEY || definition?.required === true;
}

/** Top-level groups in display order: Common, then most HIGH keys, then name. */
export function orderGroups(groups: readonly { name: string; title: string; highCount: number }[]): string[] {
  return [...groups]
    .sort((a, b) => {
      if ((a.name === COMMON) !== (b.name === COMMON)) return a.name === COMMON ? -1 : 1;
      if (a.highCount !== b.highCount) return b.highCount - a.highCount;
      return a.title.localeCompare(b.title);
    })
    .map((group) => group.name);
}

interface Entry {
  key: string;
  definition: ConfigKeyInfo | null;
  recommended: string[];
  errors: string[];
  visible: boolean;
  position: number;
}

function entriesOf(infos: ConfigInfos | null, state: FormState): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  (infos?.configs ?? []).forEach((config, position) => {
    const key = config.definition?.name ?? config.value?.name;
    if (key === undefined || seen.has(key)) return;
    seen.add(key);
    entries.push({
      key,
      definition: config.definition,
      recommended: (config.value?.recommended_values ?? []).map(String),
      errors: config.value?.errors ?? [],
      visible: config.value?.visible ?? true,
      position,
    });
  });
  // Keys the user set that the answer does not list (not declared, or typed since it came).
  let position = entries.length;
  for (const key of [NAME_KEY, CLASS_KEY, ...Object.keys(state.values)]) {
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ key, definition: null, recommended: [], errors: [], visible: true, position: position++ });
  }
  return entries;
}

function fieldOf(entry: Entry, state: FormState, options: ModelOptions): FormField {
  const { key, definition } = entry;
  const masked = state.masked.has(key);
  const stored = key === CLASS_KEY ? state.connectorClass : state.values[key];
  const isSet = stored !== undefined;
  const value = masked ? '' : stored ?? '';
  const type = definition?.type ?? null;
  const widget = widgetFor(key, type, entry.recommended, value);
  const defaultValue = definition?.default_value ?? null;
  const validated = options.validatedValues;
  const stale = validated != null && key !== CLASS_KEY && validated[key] !== state.values[key];
  const show = (state.showAllErrors || state.touched.has(key)) && !stale;
  const optionsList = widget === 'select' && value !== '' && !entry.recommended.includes(value)
    ? [value, ...entry.recommended]
    : entry.recommended;
  return {
    key,
    displayName: definition?.display_name || key,
    documentation: definition?.documentation ?? '',
    type,
    widget,
    required: isRequired(key, definition),
    importance: definition?.importance ?? null,
    defaultValue,
    value,
    isSet,
    masked,
    checked: (isSet && !masked ? value : defaultValue ?? '').toLowerCase() === 'true',
    placeholder: masked ? 'unchanged (hidden)' : defaultValue ?? '',
    options: optionsList,
    classKind: type === 'CLASS' ? classKindOfKey(key) : null,
    errors: show ? entry.errors : [],
    hasErrors: entry.errors.length > 0,
  };
}

function inBasicView(field: FormField): boolean {
  return field.importance === 'HIGH' || field.required || field.hasErrors || (field.isSet && field.key !== CLASS_KEY);
}

/** The groups, fields and error summary to render for `state`, from the last validate answer. */
export function buildFormModel(infos: ConfigInfos | null, state: FormState, options: ModelOptions): FormModel {
  const ungroupedTitle = shortPluginName(infos?.name || state.connectorClass) || 'Connector';
  const summaryErrors: KeyErrors[] = [];
  const byGroup = new Map<string, { entry: Entry; field: FormField }[]>();
  const highCount = new Map<string, number>();
  const allGroups = new Set<string>();
  let hiddenInBasic = 0;

  for (const entry of entriesOf(infos, state)) {
    const declared = entry.definition !== null || entry.key === NAME_KEY || entry.key === CLASS_KEY;
    if (!entry.visible || (!declared && entry.errors.length > 0)) {
      if (entry.errors.length > 0) summaryErrors.push({ key: entry.key, errors: entry.errors });
      if (!entry.visible) continue;
    }
    const group = entry.definition ? entry.definition.group ?? '' : declared ? COMMON : OTHER_GROUP;
    allGroups.add(group);
    if (entry.definition?.importance === 'HIGH') highCount.set(group, (highCount.get(group) ?? 0) + 1);
    const field = fieldOf(declared ? entry : { ...entry, errors: [] }, state, options);
    if (!options.advanced && !inBasicView(field)) {
      hiddenInBasic++;
      continue;
    }
    const list = byGroup.get(group) ?? [];
    list.push({ entry, field });
    byGroup.set(group, list);
  }

  const titleOf = (name: string) => (name === '' ? ungroupedTitle : name);
  // Order every group the plugin has, then keep those with fields in this view, so a dynamic
  // group sits after its parent even when the basic view hides the parent.
  const all = [...new Set([...(infos?.groups ?? []), ...allGroups])].filter((name) => name !== OTHER_GROUP);
  const parentOf = (name: string): string | null => {
    const match = /^(.+): .+$/.exec(name);
    return match && all.includes(match[1]!) ? match[1]! : null;
  };
  const ordered: string[] = [];
  const topLevel = all.filter((name) => parentOf(name) === null);
  for (const name of orderGroups(topLevel.map((n) => ({ name: n, title: titleOf(n), highCount: highCount.get(n) ?? 0 })))) {
    ordered.push(name, ...all.filter((child) => parentOf(child) === name));
  }
  ordered.push(OTHER_GROUP);

  const groups = ordered.filter((name) => byGroup.has(name)).map((name) => ({
    name,
    title: titleOf(name),
    dynamic: parentOf(name) !== null,
    fields: byGroup.get(name)!
      .sort((a, b) => (a.entry.definition?.order ?? Number.MAX_SAFE_INTEGER) - (b.entry.definition?.order ?? Number.MAX_SAFE_INTEGER)
        || a.entry.position - b.entry.position)
      .map(({ field }) => field),
  }));

  return { groups, errorCount: infos?.error_count ?? 0, summaryErrors, hiddenInBasic };
}

