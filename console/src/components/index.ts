export { ConfirmDialog, type ConfirmDialogProps } from './confirm-dialog.js';
export { StateBadge, toneOf, type Tone } from './state-badge.js';
export { usePolling, type Polled } from './use-polling.js';
export { notify, dismiss, NoticeArea, type NoticeKind } from './notice.js';
export { RefreshIndicator } from './refresh-indicator.js';
export { TraceView, traceHeadline } from './trace-view.js';
