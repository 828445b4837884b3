/**
 * The form's raw view: the config as JSON or `.properties` text the user can edit or paste into.
 * Every edit that parses replaces the form's config at once (and so gets validated); text that
 * does not parse leaves the form as it was and says why. The text is generated only when the
 * panel opens or the format changes, never while the user is typing in it.
 */
import { useState } from 'preact/hooks';
import { configToText, ConfigTextError, parseConfigText, type ConfigFormat } from '../../form/config-text.js';

export interface ConfigTextPanelProps {
  /** The config as text views show it (loaded secrets masked). */
  config: Record<string, string>;
  initialFormat: ConfigFormat;
  onReplace: (config: Record<string, string>) => void;
  onFormatChange: (format: ConfigFormat) => void;
}

export const FORMAT_LABEL: Record<ConfigFormat, string> = { json: 'JSON', properties: '.properties' };

export function ConfigTextPanel({ config, initialFormat, onReplace, onFormatChange }: ConfigTextPanelProps) {
  const [format, setFormat] = useState<ConfigFormat>(initialFormat);
  const [draft, setDraft] = useState(() => configToText(config, initialFormat));
  const [error, setError] = useState<string | null>(null);

  const parse = (text: string, as: ConfigFormat): Record<string, string> | null => {
    try {
      const parsed = parseConfigText(text, as);
      setError(null);
      return parsed;
    } catch (err) {
      setError(err instanceof ConfigTextError ? err.message : String(err));
      return null;
    }
  };

  const edit = (text: string) => {
    setDraft(text);
    const parsed = parse(text, format);
    if (parsed) onReplace(parsed);
  };

  const switchFormat = (next: ConfigFormat) => {
    const parsed = parse(draft, format);
    if (!parsed) return;
    setFormat(next);
    setDraft(configToText(parsed, next));
    onFormatChange(next);
  };

  return (
    <div class="config-text-panel">
      <fieldset class="segmented">
        <legend>Format</legend>
        {(['json', 'properties'] as const).map((option) => (
          <label key={option}>
            <input type="radio" name="config-format" value={option} checked={format === option} onChange={() => switchFormat(option)} />
            {' '}{FORMAT_LABEL[option]}
          </label>
        ))}
      </fieldset>
      <label for="config-text" class="field-label">Config as {FORMAT_LABEL[format]}</label>
      <textarea id="config-text" class="mono config-text" rows={Math.min(30, Math.max(10, draft.split('\n').length + 1))}
        spellcheck={false} value={draft} aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'config-text-error' : 'config-text-hint'}
        onInput={(event) => edit(event.currentTarget.value)} />
      {error
        ? <p id="config-text-error" class="error-text" role="alert">{error}</p>
        : <p id="config-text-hint" class="muted field-hint">Edit or paste a config here; the form follows as soon as the text parses.</p>}
    </div>
  );
}
