/**
 * One config key of the form: its <label> (the key itself, so users and tests find fields by
 * the names they put in configs), a required marker, the input its type calls for, the key's
 * documentation and, once there are any to show, its errors — tied to the input with
 * aria-describedby and aria-invalid.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { FormField } from '../../form/form-model.js';
import { tidyList } from '../../form/list-value.js';

export interface ConfigFieldProps {
  field: FormField;
  /** Read-only in this form (e.g. the name of an existing connector). */
  locked?: boolean;
  onChange: (key: string, value: string) => void;
  onLeave: (key: string) => void;
  /** A control shown next to the input (e.g. "Change plugin" next to connector.class). */
  extra?: ComponentChildren;
}

/** An id safe for any key: keys may hold characters ids and selectors dislike. */
export function fieldId(key: string): string {
  return `cfg-${key.replace(/[^A-Za-z0-9_.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}

export function ConfigField({ field, locked, onChange, onLeave, extra }: ConfigFieldProps) {
  const [revealed, setRevealed] = useState(false);
  const id = fieldId(field.key);
  const docId = `${id}-doc`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = field.errors.length > 0;
  const hint = field.widget === 'list' ? 'Comma-separated list.'
    : field.widget === 'switch' ? `Default: ${field.defaultValue ?? 'not set'}.`
      : field.masked ? 'The current value is kept unless you type a new one.'
        : null;
  const describedBy = [field.documentation ? docId : null, hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.key,
    'aria-describedby': describedBy,
    'aria-invalid': invalid ? true : undefined,
    'aria-required': field.required ? true : undefined,
    onBlur: () => onLeave(field.key),
  } as const;
  const text = (event: Event) => (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;

  let input: ComponentChildren;
  if (locked || field.widget === 'readonly') {
    input = <input {...common} class="mono" value={field.value} readOnly />;
  } else {
    switch (field.widget) {
      case 'switch':
        input = (
          <input {...common} type="checkbox" role="switch" checked={field.checked}
            onChange={(event) => onChange(field.key, event.currentTarget.checked ? 'true' : 'false')} />
        );
        break;
      case 'number':
        input = (
          <input {...common} type="text" inputMode={field.type === 'DOUBLE' ? 'decimal' : 'numeric'} autoComplete="off"
            spellcheck={false} value={field.value} placeholder={field.placeholder}
            onInput={(event) => onChange(field.key, text(event))} />
        );
        break;
      case 'password':
        input = (
          <span class="password-input">
            {revealed
              ? <input {...common} type="text" autoComplete="off" spellcheck={false}
                value={field.value} placeholder={field.placeholder} onInput={(event) => onChange(field.key, text(event))} />
              : <input {...common} type="password" autoComplete="new-password"
                value={field.value} placeholder={field.placeholder} onInput={(event) => onChange(field.key, text(event))} />}
            <button type="button" class="small" aria-pressed={revealed} aria-label={`Show ${field.key}`}
              disabled={field.masked} title={field.masked ? 'The stored value is not shown' : undefined}
              onClick={() => setRevealed(!revealed)}>
              {revealed ? 'Hide' : 'Show'}
            </button>
          </span>
        );
        break;
      case 'select':
        input = (
          <select {...common} value={field.value} onChange={(event) => onChange(field.key, text(event))}>
            <option value="">{field.defaultValue ? `Default (${field.defaultValue})` : 'Not set'}</option>
            {field.options.map((option) => <option key={option} value={option}>{option}</option>)}
          </select>
        );
        break;
      case 'list':
        input = (
          <input {...common} type="text" autoComplete="off" spellcheck={false} value={field.value} placeholder={field.placeholder}
            onInput={(event) => onChange(field.key, text(event))}
            onBlur={(event) => {
              const tidy = tidyList(event.currentTarget.value);
              if (tidy !== event.currentTarget.value) onChange(field.key, tidy);
              onLeave(field.key);
            }} />
        );
        break;
      default:
        input = (
          <input {...common} type="text" autoComplete="off" spellcheck={false} value={field.value} placeholder={field.placeholder}
            list={field.classKind ? `classes-${field.classKind}` : undefined}
            class={field.type === 'CLASS' ? 'mono' : undefined}
            onInput={(event) => onChange(field.key, text(event))} />
        );
    }
  }

  return (
    <div class={`config-field${invalid ? ' invalid' : ''}${field.widget === 'switch' ? ' switch-field' : ''}`} data-key={field.key}>
      <div class="config-field-head">
        <label for={id} class="mono">{field.key}</label>
        {field.required && <span class="required-mark" title="Required">*<span class="visually-hidden"> (required)</span></span>}
        {field.displayName !== field.key && <span class="muted display-name">{field.displayName}</span>}
      </div>
      <div class="config-field-input">
        {input}
        {extra}
      </div>
      {hint && <p id={hintId} class="field-hint muted">{hint}</p>}
      {field.documentation && <p id={docId} class="field-doc muted">{field.documentation}</p>}
      {invalid && (
        <ul id={errorId} class="field-errors" role="alert">
          {field.errors.map((error) => <li key={error}>{error}</li>)}
        </ul>
      )}
    </div>
  );
}
