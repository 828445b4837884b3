/**
 * The connector form shared by the create and edit pages: groups of fields generated from the
 * plugin's validate answer, validated live, with a basic/advanced toggle, a raw JSON/.properties
 * view, file upload and download, an explicit "Validate", and the submit button ("Create" or
 * "Update") that stays disabled while the worker reports errors. The page decides what submitting
 * means; a refusal from the worker (400, 409, ...) is shown here verbatim.
 *
 * Button names (browser tests find them by role and name): "Show advanced" (aria-pressed),
 * "JSON" (aria-pressed), "Validate", "Download" (.json), "Download .properties", the file input
 * labelled "Upload a config file", and the submit button named by `submitLabel`.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { errorText, RestError } from '../../api/rest-client.js';
import { diffConfigs } from '../../form/config-diff.js';
import { configFileName, configToText, ConfigTextError, detectFormat, parseConfigText, type ConfigFormat } from '../../form/config-text.js';
import { buildFormModel, type FormGroup } from '../../form/form-model.js';
import {
  CLASS_KEY, configForText, configToSubmit, connectorName, definitionsOf, NAME_KEY, replaceConfig, setValue, showAllErrors, touch,
  type FormState,
} from '../../form/form-state.js';
import { ConfigField } from './config-field.js';
import { ConfigTextPanel } from './config-text-panel.js';
import { ChangeList } from './change-list.js';
import { ClassSuggestions } from './class-suggestions.js';
import { useLiveValidation, type ValidationAnswer } from './use-live-validation.js';
import { ValidationSummary } from './validation-summary.js';
import './connector-form.css';
import { ConfigUploadButton } from './config-upload-button.js';

export interface ConnectorFormProps {
  mode: 'create' | 'edit';
  initial: FormState;
  /** The answer already fetched for `initial` (the edit page needs it to mask secrets). */
  initialAnswer?: ValidationAnswer | null;
  /** Edit: the connector's config as loaded, for the list of changes. */
  original?: Readonly<Record<string, string>>;
  /** Create: a control next to connector.class to go back to the plugin list. */
  classExtra?: ComponentChildren;
  /** The plugin changed through imported text. */
  onClassChange?: (connectorClass: string) => void;
  /** Sends the config; a thrown RestError is shown verbatim. */
  onSubmit: (config: Record<string, string>) => Promise<void>;
}

/** Saves text as a file through a temporary link. */
function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface SubmitFailure {
  status: number | null;
  text: string;
}

/** The worker's own words: Connect's `message` (its line breaks kept), else the body as it came. */
function failureOf(error: unknown): SubmitFailure {
  if (error instanceof RestError) {
    const connectShaped = error.errorCode !== null || (typeof error.body === 'object' && error.body !== null);
    const text = connectShaped || typeof error.body !== 'string' ? error.message : error.body;
    return { status: error.status, text: error.errorCode !== null && error.errorCode !== error.status ? `${text}\n(error_code ${error.errorCode})` : text };
  }
  return { status: null, text: errorText(error) };
}

export function ConnectorForm({ mode, initial, initialAnswer, original, classExtra, onClassChange, onSubmit }: ConnectorFormProps) {
  const [state, setState] = useState<FormState>(initial);
  const [advanced, setAdvanced] = useState(false);
  const [rawView, setRawView] = useState(false);
  const [format, setFormat] = useState<ConfigFormat>('json');
  const [textVersion, setTextVersion] = useState(0);
  const [importError, setImportError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<SubmitFailure | null>(null);
  const validation = useLiveValidation(initialAnswer ?? null);
  const { answer } = validation;
  const definitions = useMemo(() => definitionsOf(answer?.infos ?? null), [answer]);
  const model = buildFormModel(answer?.infos ?? null, state, { advanced, validatedValues: answer?.values ?? null });
  const lastValidated = useRef<FormState | null>(initialAnswer ? initial : null);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(false);

  // A submit the worker turned down moves focus to the first field it complained about.
  useEffect(() => {
    if (!focusError) return;
    setFocusError(false);
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError, answer]);

  // Validate at once on arrival, then after every pause in typing.
  useEffect(() => {
    if (lastValidated.current === null) {
      void validation.now(state);
    } else if (lastValidated.current.values !== state.values || lastValidated.current.connectorClass !== state.connectorClass) {
      validation.schedule(state);
    }
    lastValidated.current = state;
  }, [state.values, state.connectorClass]);

  useEffect(() => {
    if (state.connectorClass !== initial.connectorClass) onClassChange?.(state.connectorClass);
  }, [state.connectorClass]);

  const change = (key: string, value: string) => {
    setFailure(null);
    setState((current) => setValue(current, key, value));
  };
  // Leaving a field checks at once: its errors (now that it counts as touched) are current, and
  // new alias groups (transforms, predicates) appear without waiting for the typing pause.
  const leave = (key: string) => {
    setState((current) => touch(current, key));
    void validation.now(state);
  };
  const replace = (config: Record<string, string>) => {
    setFailure(null);
    setState((current) => replaceConfig(current, mode === 'edit' ? { ...config, [NAME_KEY]: current.values[NAME_KEY] ?? '' } : config));
  };

  const validateNow = async () => {
    setState((current) => showAllErrors(current));
    await validation.now(state);
  };

  const upload = async (file: File) => {
    setImportError(null);
    try {
      const text = await file.text();
      const fileFormat = detectFormat(text, file.name);
      replace(parseConfigText(text, fileFormat));
      setFormat(fileFormat);
      setTextVersion((v) => v + 1);
    } catch (err) {
      setImportError(`${file.name}: ${err instanceof ConfigTextError ? err.message : errorText(err)}`);
    }
  };

  const download = (as: ConfigFormat) => {
    const text = configToText(configForText(state, definitions), as);
    downloadText(text, configFileName(connectorName(state), as), as === 'json' ? 'application/json' : 'text/plain');
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    const revealed = showAllErrors(state);
    setState((current) => showAllErrors(current));
    setSubmitting(true);
    try {
      const checked = await validation.now(revealed);
      if (!checked || checked.infos.error_count > 0) {
        setFocusError(true);
        return;
      }
      await onSubmit(configToSubmit(revealed, definitionsOf(checked.infos)));
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setSubmitting(false);
    }
  };

  const submitConfig = configToSubmit(state, definitions);
  const secretKeys = new Set([...definitions.values()].filter((d) => d.type === 'PASSWORD').map((d) => d.name));
  const changes = original ? diffConfigs(original, submitConfig, secretKeys) : [];
  const submitLabel = mode === 'create' ? 'Create' : 'Update';
  const blockedBy = answer === null ? 'Waiting for the worker to check the config.'
    : model.errorCount > 0 ? `Fix ${model.errorCount === 1 ? 'the error' : `the ${model.errorCount} errors`} the worker reports to ${submitLabel.toLowerCase()} the connector.`
      : mode === 'edit' && changes.length === 0 ? 'Nothing has changed yet.'
        : null;

  const renderGroup = (group: FormGroup) => {
    const Heading = group.dynamic ? 'h3' : 'h2';
    const headingId = `group-${group.name.replace(/\W+/g, '-') || 'plugin'}`;
    return (
      <section key={group.name} class={`config-group${group.dynamic ? ' dynamic' : ''}`} aria-labelledby={headingId}>
        <Heading id={headingId}>{group.title}</Heading>
        <div class="config-fields">
          {group.fields.map((field) => (
            <ConfigField key={field.key} field={field} onChange={change} onLeave={leave}
              locked={mode === 'edit' && field.key === NAME_KEY}
              extra={field.key === CLASS_KEY ? classExtra : undefined} />
          ))}
        </div>
      </section>
    );
  };

  return (
    <form ref={formRef} class="connector-form" onSubmit={submit} noValidate>
      <ClassSuggestions />
      <div class="form-toolbar">
        <div class="toolbar">
          <button type="button" aria-pressed={advanced} onClick={() => setAdvanced(!advanced)} disabled={rawView}>Show advanced</button>
          {!advanced && !rawView && model.hiddenInBasic > 0 && <span class="muted small-text">{model.hiddenInBasic} more settings</span>}
          <button type="button" aria-pressed={rawView} onClick={() => { setRawView(!rawView); setTextVersion((v) => v + 1); }}>JSON</button>
          <button type="button" onClick={validateNow}>Validate</button>
        </div>
        <div class="toolbar">
          <button type="button" title="Download the config as a .json file" onClick={() => download('json')}>Download</button>
          <button type="button" title="Download the config as a .properties file" onClick={() => download('properties')}>Download .properties</button>
          <ConfigUploadButton onFile={upload} />
        </div>
      </div>

      <ValidationSummary errorCount={model.errorCount} validating={validation.validating} requestError={validation.error}
        answered={answer !== null} summaryErrors={model.summaryErrors} importError={importError} />

      {rawView
        ? <ConfigTextPanel key={textVersion} config={configForText(state, definitions)} initialFormat={format}
          onReplace={replace} onFormatChange={setFormat} />
        : model.groups.map(renderGroup)}

      {mode === 'edit' && <ChangeList changes={changes} />}

      {failure && (
        <div class="banner bad submit-failure" role="alert">
          <strong>{failure.status !== null ? `The worker refused the config (HTTP ${failure.status}):` : `The connector was not ${mode === 'create' ? 'created' : 'updated'}:`}</strong>
          <pre>{failure.text}</pre>
        </div>
      )}

      <div class="form-actions sticky-actions">
        {blockedBy && <span id="submit-blocked" class="muted">{blockedBy}</span>}
        <button type="submit" class="primary" disabled={blockedBy !== null || submitting} aria-busy={submitting}
          aria-describedby={blockedBy ? 'submit-blocked' : undefined}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
