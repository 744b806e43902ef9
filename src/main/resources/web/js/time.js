// Wall-clock times of the venue. The server sends local times without offset (2025-01-24T19:50:00);
// they are shown as they are, never shifted into the browser's time zone.
import { t, lang } from './i18n.js';

const pad = n => String(n).padStart(2, '0');

/** '2025-01-24T19:50:00' → {y, mo, d, secondsOfDay}. */
export function parseLocal(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(iso || '');
  if (!m) return null;
  return { y: +m[1], mo: +m[2], d: +m[3], secondsOfDay: (+m[4]) * 3600 + (+m[5]) * 60 + (+(m[6] || 0)) };
}

export function hms(secondsOfDay) {
  const s = ((Math.round(secondsOfDay) % 86400) + 86400) % 86400;
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

export function hm(secondsOfDay) {
  return hms(secondsOfDay).slice(0, 5);
}

/** 'HH:MM:SS' or 'HH:MM' → seconds of the day, or null. */
export function parseHms(text) {
  const m = /^\s*([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\s*$/.exec(text || '');
  return m ? (+m[1]) * 3600 + (+m[2]) * 60 + (+(m[3] || 0)) : null;
}

/** A length in seconds as 1:02:03 or 2:03. */
export function length(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}` : `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** 'Mittwoch, 24.01.2025' / 'Wednesday, 24/01/2025'. */
export function day(local) {
  const weekday = new Date(Date.UTC(local.y, local.mo - 1, local.d)).getUTCDay(); // 0 = Sunday
  const name = t('weekdays')[(weekday + 6) % 7];
  return lang() === 'en' ? `${name}, ${pad(local.d)}/${pad(local.mo)}/${local.y}` : `${name}, ${pad(local.d)}.${pad(local.mo)}.${local.y}`;
}

export function bytes(n) {
  if (n == null) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n, i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  const text = v.toFixed(v < 10 && i > 0 ? 1 : 0);
  return `${lang() === 'de' ? text.replace('.', ',') : text} ${units[i]}`;
}
