// The REST API: JSON in and out, refusals as errors carrying the API's own detail, the session's
// CSRF token on every change made through the session cookie.
import { t } from './i18n.js';

let csrf = null;

export class ApiError extends Error {
  /** What the user reads: what kind of refusal (in their language), then the server's own reason. */
  constructor(status, detail) {
    const known = t(`errors.${status}`);
    const lead = status === 0 ? t('errors.network') : (known.startsWith('errors.') ? '' : known);
    super(detail && status !== 0 ? `${lead} ${detail}`.trim() : lead);
    this.status = status;
    this.detail = detail;
  }
  /** The field a 422 names ("Field 'start_time': …"), if any. */
  get field() {
    const m = /Field '([a-z_]+)/.exec(this.detail || '');
    return m ? m[1] : null;
  }
}

export async function api(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (csrf && method !== 'GET') init.headers['X-CSRF-Token'] = csrf;
  let response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch (e) {
    throw new ApiError(0, '');
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, data && data.detail ? data.detail : response.statusText);
  }
  return { status: response.status, data };
}

export const get = path => api('GET', path).then(r => r.data);
export const post = (path, body, headers) => api('POST', path, body, headers).then(r => r.data);
export const put = (path, body) => api('PUT', path, body).then(r => r.data);
export const del = path => api('DELETE', path).then(r => r.data);

/** Who we are; remembers the CSRF token of a cookie session. */
export async function session() {
  const s = await get('/session');
  csrf = s.csrf_token || null;
  return s;
}

export async function login(password) {
  const s = await post('/session', { password });
  csrf = s.csrf_token || null;
  return s;
}

export async function logout() {
  const s = await del('/session');
  csrf = null;
  return s;
}
