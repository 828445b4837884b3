/**
 * Short feedback after an action ("Connector paused", "Offsets reset", errors), shown in one
 * live region in the layout so screen readers announce it. `notify()` may be called from
 * anywhere; notices disappear after a few seconds or when dismissed.
 */
import { useEffect, useState } from 'preact/hooks';

export type NoticeKind = 'success' | 'error' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

let nextId = 1;
let notices: Notice[] = [];
const listeners = new Set<(list: Notice[]) => void>();

function publish(list: Notice[]): void {
  notices = list;
  listeners.forEach((listener) => listener(notices));
}

export function dismiss(id: number): void {
  publish(notices.filter((notice) => notice.id !== id));
}

/** Shows a notice; errors stay 12 s, others 5 s. */
export function notify(text: string, kind: NoticeKind = 'success'): void {
  const notice = { id: nextId++, kind, text };
  publish([...notices, notice].slice(-4));
  window.setTimeout(() => dismiss(notice.id), kind === 'error' ? 12_000 : 5_000);
}

/** The live region; rendered once by the layout. */
export function NoticeArea() {
  const [list, setList] = useState<Notice[]>(notices);
  useEffect(() => {
    listeners.add(setList);
    return () => { listeners.delete(setList); };
  }, []);
  return (
    <div class="notices" role="status" aria-live="polite">
      {list.map((notice) => (
        <div key={notice.id} class={`notice notice-${notice.kind}`}>
          <span>{notice.text}</span>
          <button type="button" class="link-button" aria-label="Dismiss notice" onClick={() => dismiss(notice.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
