/**
 * Light or dark: the system's preference unless the user picked one with the toggle, which is
 * remembered in localStorage and applied as `data-theme` on <html> (styles.css reads it).
 */
const KEY = 'ferry.console.theme';
export type Theme = 'light' | 'dark';

export function storedTheme(): Theme | null {
  try {
    const value = window.localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export function effectiveTheme(): Theme {
  return storedTheme() ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

export function applyTheme(theme: Theme | null): void {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  try {
    if (theme) window.localStorage.setItem(KEY, theme);
    else window.localStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the choice lasts until reload
  }
}
