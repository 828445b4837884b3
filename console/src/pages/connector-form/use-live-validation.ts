/**
 * Live validation of a connector form through `PUT /connector-plugins/{class}/config/validate`:
 * a request after each pause in typing, at once on "Validate" or before a submit, and only the
 * newest answer is kept (form/latest-only.ts). The answer remembers the values it was computed
 * for, so the form can tell a field's stale error from a current one.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { errorText, rest, seg } from '../../api/rest-client.js';
import type { ConfigInfos } from '../../api/types.js';
import { configToSubmit, definitionsOf, type FormState } from '../../form/form-state.js';
import { LatestOnly } from '../../form/latest-only.js';

export interface ValidationAnswer {
  infos: ConfigInfos;
  /** The form's values the answer is for. */
  values: Readonly<Record<string, string>>;
}

export interface LiveValidation {
  answer: ValidationAnswer | null;
  /** Why the last request failed (e.g. an unknown plugin), null when it succeeded. */
  error: string | null;
  validating: boolean;
  schedule: (state: FormState) => void;
  /** Validates now; resolves with the answer, or null when the request failed. */
  now: (state: FormState) => Promise<ValidationAnswer | null>;
}

const TYPING_PAUSE_MS = 300;

function validate(state: FormState, previous: ValidationAnswer | null): () => Promise<ValidationAnswer> {
  const config = configToSubmit(state, definitionsOf(previous?.infos ?? null));
  const values = state.values;
  return async () => ({
    infos: await rest.put<ConfigInfos>(`/connector-plugins/${seg(state.connectorClass)}/config/validate`, config),
    values,
  });
}

export function useLiveValidation(initial: ValidationAnswer | null): LiveValidation {
  const [answer, setAnswer] = useState<ValidationAnswer | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const [validating, setValidating] = useState(false);
  const runner = useMemo(() => new LatestOnly<ValidationAnswer>((outcome) => {
    setValidating(false);
    if (outcome.ok) {
      setAnswer(outcome.value);
      setError(null);
    } else {
      setError(errorText(outcome.error));
    }
  }, TYPING_PAUSE_MS), []);
  useEffect(() => () => runner.dispose(), [runner]);

  return {
    answer,
    error,
    validating,
    schedule: (state) => {
      setValidating(true);
      runner.schedule(validate(state, answer));
    },
    now: async (state) => {
      setValidating(true);
      let result: ValidationAnswer | null = null;
      const request = validate(state, answer);
      await runner.now(async () => {
        result = await request();
        return result;
      });
      return result;
    },
  };
}
