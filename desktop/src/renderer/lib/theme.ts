import { create } from 'zustand';

export type ThemePref = 'light' | 'dark' | 'system';
const KEY = 'syntra.theme';

function resolved(pref: ThemePref): 'light' | 'dark' {
  if (pref !== 'system') return pref;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(pref: ThemePref) {
  document.documentElement.dataset.theme = resolved(pref);
}

export const useTheme = create<{ pref: ThemePref; set(pref: ThemePref): void; toggle(): void }>((set, get) => ({
  pref: (localStorage.getItem(KEY) as ThemePref | null) ?? 'system',
  set: (pref) => {
    localStorage.setItem(KEY, pref);
    apply(pref);
    set({ pref });
  },
  toggle: () => get().set(resolved(get().pref) === 'dark' ? 'light' : 'dark'),
}));

export function initTheme() {
  apply(useTheme.getState().pref);
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => apply(useTheme.getState().pref));
}
