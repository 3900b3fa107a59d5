// Light and dark: the system's preference (prefers-color-scheme in console.css) unless the user
// picked one with the toggle, which is remembered in this browser.
export type Theme = 'light' | 'dark';
const key = 'steward.theme';

export function storedTheme(): Theme | null {
  const t = localStorage.getItem(key);
  return t === 'light' || t === 'dark' ? t : null;
}

export function currentTheme(): Theme {
  return storedTheme() ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

export function applyTheme(t: Theme | null) {
  if (t) {
    localStorage.setItem(key, t);
    document.documentElement.dataset.theme = t;
  } else {
    localStorage.removeItem(key);
    delete document.documentElement.dataset.theme;
  }
}
