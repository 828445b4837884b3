/**
 * REST credentials of this browser tab. The worker's REST API may require HTTP Basic or Bearer
 * authentication; the console keeps what the user typed on the login page in sessionStorage
 * (gone when the tab closes) and sends it as the Authorization header of every call.
 *
 * A 401 from any call goes through `waitForLogin()`: the first one sends the user to /ui/login
 * (remembering where they were), and every waiting call retries once `loginSucceeded()` runs.
 */
import { currentPath, navigate } from '../router.js';

const STORAGE_KEY = 'ferry.console.authorization';

export type Credentials = { scheme: 'basic'; user: string; password: string } | { scheme: 'bearer'; token: string };

/** The Authorization header value for credentials. */
export function authorizationFor(credentials: Credentials): string {
  if (credentials.scheme === 'bearer') return `Bearer ${credentials.token}`;
  const bytes = new TextEncoder().encode(`${credentials.user}:${credentials.password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** The stored Authorization header value, or null when the user has not logged in. */
export function authorization(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

const listeners = new Set<() => void>();

/** Called when credentials are stored or cleared; returns the unsubscribe function. */
export function onAuthChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

export function storeCredentials(credentials: Credentials): void {
  window.sessionStorage.setItem(STORAGE_KEY, authorizationFor(credentials));
  listeners.forEach((listener) => listener());
}

export function clearCredentials(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((listener) => listener());
}

export function isLoggedIn(): boolean {
  return authorization() !== null;
}

let waiting: (() => void)[] = [];

/**
 * For the REST client after a 401: shows the login page (once for many failing calls) and
 * resolves when the user has logged in, so the call can be retried.
 */
export function waitForLogin(): Promise<void> {
  if (!currentPath().startsWith('/login')) {
    const back = currentPath() + window.location.search;
    navigate(`/login?next=${encodeURIComponent(back)}`, { replace: true });
  }
  return new Promise((resolve) => { waiting.push(resolve); });
}

/** The login page calls this after storing credentials that the worker accepted. */
export function loginSucceeded(): void {
  const resolved = waiting;
  waiting = [];
  resolved.forEach((resolve) => resolve());
}

/**
 * Tries credentials against the worker without storing them: true when accepted, false on 401.
 * Other failures throw (e.g. the worker is down).
 */
export async function checkCredentials(credentials: Credentials): Promise<boolean> {
  const response = await fetch('/connectors', { credentials: 'omit', headers: { authorization: authorizationFor(credentials), accept: 'application/json' } });
  if (response.status === 401) return false;
  if (!response.ok) throw new Error(`The worker answered ${response.status} ${response.statusText}`);
  return true;
}
