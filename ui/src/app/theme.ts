// Light and dark themes: the system's preference unless the user picked one
// (persisted in localStorage).
export type Theme = "light" | "dark";
export const THEME_KEY = "hearth.theme";

export function storedTheme(): Theme | null {
  try {
    const t = localStorage.getItem(THEME_KEY);
    return t === "light" || t === "dark" ? t : null;
  } catch {
    return null;
  }
}

export function systemTheme(): Theme {
  try {
    return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  } catch {
    return "light";
  }
}

export function currentTheme(): Theme {
  return storedTheme() ?? systemTheme();
}

/** Applies a theme to the document; `persist` remembers the choice. */
export function applyTheme(theme: Theme | null, persist = false) {
  const root = document.documentElement;
  if (theme) root.dataset.theme = theme;
  else delete root.dataset.theme;
  if (persist) {
    try {
      if (theme) localStorage.setItem(THEME_KEY, theme);
      else localStorage.removeItem(THEME_KEY);
    } catch {
      /* not persisted */
    }
  }
}
