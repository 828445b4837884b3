/**
 * A confirmation in a native modal <dialog>: focus is trapped and Escape cancels (the browser's
 * own behaviour). The confirm button is always named "Confirm" and shows progress while
 * `onConfirm` runs; an error it throws is shown inside the dialog, which then stays open.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/rest-client.js';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ComponentChildren;
  /** Red confirm button for destructive actions. */
  danger?: boolean;
  /** Label of the confirm button; "Confirm" when absent. */
  confirmLabel?: string;
  onConfirm: () => unknown;
  onCancel: () => void;
}

export function ConfirmDialog({ open, title, children, danger, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setError(null);
      setBusy(false);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const titleId = useId();
  return (
    <dialog ref={ref} class={`confirm-dialog${danger ? ' danger' : ''}`} aria-labelledby={titleId}
      onCancel={(event) => { event.preventDefault(); if (!busy) onCancel(); }}>
      <h2 id={titleId}>{title}</h2>
      <div class="confirm-body">{children}</div>
      {error && <p class="error-text" role="alert">{error}</p>}
      <div class="dialog-actions">
        <button type="button" onClick={onCancel} disabled={busy}>Cancel</button>
        <button type="button" class={danger ? 'danger' : 'primary'} onClick={confirm} disabled={busy} aria-busy={busy}>
          {busy ? 'Working…' : confirmLabel ?? 'Confirm'}
        </button>
      </div>
    </dialog>
  );
}
