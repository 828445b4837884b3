/**
 * The form's verdict line: whether the worker accepts the config, how many errors it reports
 * (each field shows its own once visited), why a validation or a file import failed, and the
 * errors of settings the form has no field for.
 */
import type { KeyErrors } from '../../form/form-model.js';

export interface ValidationSummaryProps {
  errorCount: number;
  validating: boolean;
  requestError: string | null;
  answered: boolean;
  summaryErrors: KeyErrors[];
  importError: string | null;
}

export function ValidationSummary({ errorCount, validating, requestError, answered, summaryErrors, importError }: ValidationSummaryProps) {
  return (
    <div class={`validation-summary${errorCount > 0 || requestError ? ' has-errors' : ''}`}>
      {/* Only the verdict is announced; "checking" comes and goes with every pause in typing. */}
      <p class="validation-status">
        <span role="status">
          {!answered ? 'Not checked yet.'
            : errorCount === 0 ? '✓ The worker accepts this config.'
              : `${errorCount} ${errorCount === 1 ? 'error' : 'errors'} reported by the worker. Errors show at each field once you have been there; "Validate" shows them all.`}
        </span>
        {validating && <span class="muted checking" aria-hidden="true"> Checking with the worker…</span>}
      </p>
      {requestError && <p class="error-text" role="alert">Validation failed: {requestError}</p>}
      {importError && <p class="error-text" role="alert">Could not read the file: {importError}</p>}
      {summaryErrors.length > 0 && (
        <ul class="summary-errors" role="alert" aria-label="Errors of settings not in the form">
          {summaryErrors.map(({ key, errors }) => errors.map((error) => <li key={`${key}:${error}`}><code>{key}</code>: {error}</li>))}
        </ul>
      )}
    </div>
  );
}
