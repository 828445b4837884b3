/**
 * Keeping secrets out of free text (error messages, stack traces, log lines) that leaves the
 * worker, e.g. a task failure trace written to the status topic. The secrets are the values
 * placeholders resolved to and the values of password keys.
 *
 * Each secret is also looked for in the forms it commonly takes inside messages: trimmed, each
 * line of a multi-line value, JSON-escaped and URL-encoded. Secrets (and forms) shorter than
 * `minLength` (default 4) are not scrubbed, so that a resolved `db` or `1` does not blank out
 * every occurrence of those letters in a trace.
 */
import { HIDDEN } from '../../../connectors/sdk/config/password.js';
import { findPlaceholders } from './placeholders.js';

export interface ScrubOptions {
  readonly minLength?: number;
}

const DEFAULT_MIN_LENGTH = 4;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function formsOf(secret: string): string[] {
  const forms = [secret, secret.trim(), ...secret.split(/\r?\n|\r/).map((l) => l.trim())];
  forms.push(JSON.stringify(secret).slice(1, -1));
  try {
    forms.push(encodeURIComponent(secret));
  } catch {
    // lone surrogates cannot be URL-encoded; the other forms still apply
  }
  return forms;
}

/**
 * The secret strings of a resolved config: for each string value whose raw form has
 * placeholders, the text each resolved placeholder became; and the whole value of each key in
 * `passwordKeys`. Prefer `Resolution.secrets` when resolving; this serves configs resolved earlier.
 */
export function secretValues(
  resolved: Readonly<Record<string, unknown>>,
  raw: Readonly<Record<string, unknown>>,
  passwordKeys: Iterable<string> = [],
): Set<string> {
  const secrets = new Set<string>();
  for (const key of passwordKeys) {
    const value = resolved[key];
    if (typeof value === 'string' && value !== '') secrets.add(value);
  }
  for (const key of Object.keys(raw)) {
    const before = raw[key];
    const after = resolved[key];
    if (typeof before !== 'string' || typeof after !== 'string' || before === after) continue;
    const placeholders = findPlaceholders(before);
    if (placeholders.length === 0) continue;
    let pattern = '^';
    let from = 0;
    for (const p of placeholders) {
      pattern += `${escapeRegExp(before.slice(from, p.start))}([\\s\\S]*?)`;
      from = p.end;
    }
    const match = new RegExp(`${pattern}${escapeRegExp(before.slice(from))}$`).exec(after);
    if (match === null) {
      secrets.add(after);
      continue;
    }
    placeholders.forEach((p, i) => {
      const replacement = match[i + 1];
      if (replacement !== p.text && replacement !== '') secrets.add(replacement);
    });
  }
  return secrets;
}

/** A function replacing every occurrence of any of `secrets` in a text with `[hidden]`. */
export function secretScrubber(secrets: Iterable<string>, options: ScrubOptions = {}): (text: string) => string {
  const minLength = options.minLength ?? DEFAULT_MIN_LENGTH;
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of formsOf(secret)) if (form.length >= Math.max(1, minLength)) forms.add(form);
  if (forms.size === 0) return (text) => text;
  const pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, HIDDEN);
}

/** `text` with every occurrence of any of `secrets` replaced by `[hidden]`. */
export function scrubText(text: string, secrets: Iterable<string>, options: ScrubOptions = {}): string {
  return secretScrubber(secrets, options)(text);
}
