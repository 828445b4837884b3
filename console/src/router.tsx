/**
 * Path-based routing under /ui with the History API: `useRoute()` re-renders on navigation,
 * `navigate()` pushes a path, `<Link>` is a real anchor (open in a new tab works) whose plain
 * left click navigates without a reload. Paths given to these helpers are console paths
 * ("/connectors/x"); the /ui prefix is added and removed here only.
 */
import type { ComponentChildren, PartialAnchorHTMLAttributes } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/ui';

/** "/connectors/x" → "/ui/connectors/x". */
export function href(path: string): string {
  return BASE + (path.startsWith('/') ? path : `/${path}`);
}

/** The console path of the current location, without the /ui prefix ("/" for the overview). */
export function currentPath(): string {
  const path = window.location.pathname;
  const inside = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  return inside === '' ? '/' : inside;
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

/**
 * Goes to a console path ("/connectors/x?tab=y"). `replace` changes the current entry in place
 * (e.g. filters in the query) without a history entry, scrolling or moving focus.
 */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  listeners.forEach((listener) => listener());
  if (options.replace) return;
  // A new page: start at its top, and move keyboard focus there as a full page load would.
  window.scrollTo(0, 0);
  document.getElementById('main')?.focus({ preventScroll: true });
}

export interface Route {
  /** Console path without /ui, e.g. "/connectors/x". */
  path: string;
  search: URLSearchParams;
}

/** The current route; the component re-renders whenever it changes. */
export function useRoute(): Route {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1);
    listeners.add(listener);
    return () => { listeners.delete(listener); };
  }, []);
  return { path: currentPath(), search: new URLSearchParams(window.location.search) };
}

type AnchorProps = Omit<PartialAnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'role' | 'onClick'>;

/** An anchor to a console path; modified clicks (new tab, new window) are left to the browser. */
export function Link({ to, children, ...rest }: AnchorProps & { to: string; children?: ComponentChildren }) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a {...rest} href={href(to)} onClick={onClick}>{children}</a>;
}
