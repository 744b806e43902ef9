// The interface language: German by default, English when the browser prefers it or the user switches.
import de from './lang/de.js';
import en from './lang/en.js';

const LANGS = { de, en };
let current = pick();

function pick() {
  const saved = localStorage.getItem('scheincam.lang');
  if (saved && LANGS[saved]) return saved;
  const preferred = (navigator.languages || [navigator.language || 'de'])[0] || 'de';
  return preferred.toLowerCase().startsWith('en') ? 'en' : 'de';
}

export function lang() { return current; }

export function setLang(code) {
  current = LANGS[code] ? code : 'de';
  localStorage.setItem('scheincam.lang', current);
  document.documentElement.lang = current;
}

/** The string for a key, with {placeholders} filled in. */
export function t(key, values = {}) {
  const text = key.split('.').reduce((o, k) => (o == null ? o : o[k]), LANGS[current]);
  if (typeof text !== 'string') return text ?? key;
  return text.replace(/\{(\w+)}/g, (m, name) => (name in values ? String(values[name]) : m));
}

/** Fills static markup: data-i18n (text), data-i18n-aria (aria-label). */
export function translateStatic(root = document) {
  root.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-aria]').forEach(el => el.setAttribute('aria-label', t(el.dataset.i18nAria)));
}

document.documentElement.lang = current;
