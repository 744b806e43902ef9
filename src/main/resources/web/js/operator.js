// The operator's dashboard: the show's health at a glance (pushed live), the live picture, the
// controls, settings with field-level messages, recordings with keep and delete, the logs.
import { t } from './i18n.js';
import { h, fill, notice } from './dom.js';
import { get, post, put, del, session, logout, ApiError } from './api.js';
import * as live from './live.js';
import { loginForm } from './performer.js';
import { parseLocal, hm, length, day, bytes } from './time.js';

export function dashboard(main) {
  let alive = true;
  const offs = [];
  const timers = [];
  const status = {};
  let elapsedAt = null;

  // --- status at a glance ------------------------------------------------------------------------------

  const value = id => h('dd', { id });
  const obsState = value('st-obs');
  const recState = value('st-recording');
  const sizeState = h('span', { id: 'st-size', class: 'sub' });
  const meter = h('meter', { id: 'audio-meter', min: -60, max: 0, low: -20, high: -6, optimum: -12, value: -60, 'aria-label': t('audioLevel') });
  const dbText = h('span', { id: 'st-db', class: 'sub' }, '–');
  const sceneState = value('st-scene');
  const logoState = value('st-logo');
  const nextState = value('st-next');
  const diskState = value('st-disk');
  const watchState = value('st-watchdog');
  const card = (label, dd, ...extra) => h('div', { class: 'stat' }, h('dt', {}, label), dd, ...extra);

  function renderStatus() {
    obsState.textContent = status.connected ? t('obsConnected') : `${t('obsDisconnected')}${status.problem ? ` – ${status.problem}` : ''}`;
    obsState.dataset.state = status.connected ? 'ok' : 'bad';
    if (status.recording) {
      elapsedAt = { base: status.elapsed_seconds || 0, at: Date.now() };
    } else {
      elapsedAt = null;
    }
    tick();
    recState.dataset.state = status.recording ? 'on' : 'off';
    sizeState.textContent = status.recording && status.current_size != null ? t('fileSize', { size: bytes(status.current_size) }) : '';
    sceneState.textContent = status.muted ? t('sceneMuted') : t('sceneMain');
    sceneState.dataset.state = status.muted ? 'muted' : 'main';
    logoState.textContent = status.logo_visible ? t('logoOn') : t('logoOff');
    if (status.watchdog) renderWatchdog(status.watchdog);
    muteButton.textContent = status.muted ? t('unmute') : t('mute');
    muteButton.setAttribute('aria-pressed', String(!!status.muted));
    logoButton.textContent = status.logo_visible ? t('logoHide') : t('logoShow');
    logoButton.setAttribute('aria-pressed', String(!!status.logo_visible));
    startButton.disabled = !status.connected || !!status.recording;
    stopButton.disabled = !status.connected || !status.recording;
  }

  function tick() {
    recState.textContent = elapsedAt
      ? t('recordingOn', { elapsed: length(elapsedAt.base + (Date.now() - elapsedAt.at) / 1000) })
      : t('recordingOff');
  }

  function renderWatchdog(verdict) {
    const states = t('watchdogStates');
    const problems = (verdict.problems || []).join(' · ');
    watchState.textContent = `${states[verdict.state] || verdict.state || '–'}${problems ? ` – ${problems}` : ''}`;
    watchState.dataset.state = verdict.state || '';
  }

  /** Hours with one decimal below ten ("1,5"), whole above, in the page's language. */
  function hoursText(hours) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined,
      { maximumFractionDigits: hours < 10 ? 1 : 0 }).format(hours);
  }

  async function loadStatus() {
    Object.assign(status, await get('/recordings/status'));
    renderStatus();
    renderAlerts(status.alerts || []);
    const admin = await get('/admin/status');
    diskState.textContent = admin.disk_free_bytes == null ? '–'
      : `${bytes(admin.disk_free_bytes)} / ${bytes(admin.disk_total_bytes)}`
        + (admin.recording_hours_left == null ? '' : ` · ${t('hoursLeft', { hours: hoursText(admin.recording_hours_left) })}`);
    // the same threshold as the watchdog's disk alert and the Prometheus rule ScheinCamDiskHoursLow
    diskState.dataset.state = admin.recording_hours_left != null && admin.recording_hours_left < 2 ? 'bad' : '';
    const next = await get('/schedule/next');
    if (next.in_window && next.current_window) {
      nextState.textContent = t('nextInWindow', { end: hm(parseLocal(next.current_window.end).secondsOfDay) });
    } else if (next.next_recording_time) {
      const at = parseLocal(next.next_recording_time);
      nextState.textContent = `${day(at)} · ${hm(at.secondsOfDay)}`;
    } else {
      nextState.textContent = t('nextNone');
    }
  }

  // --- live picture ----------------------------------------------------------------------------------

  const preview = h('img', { id: 'preview', class: 'preview', alt: t('previewAlt'), width: 512, height: 288 });
  const previewNote = h('p', { class: 'sub', id: 'preview-note' });
  let previewBusy = false;
  async function refreshPreview() {
    if (previewBusy || document.visibilityState !== 'visible') return;
    previewBusy = true;
    try {
      const p = await get('/recordings/preview');
      if (!alive) return;
      if (p.image) { preview.src = p.image; previewNote.textContent = ''; } else { previewNote.textContent = t('previewNone'); }
    } catch (e) {
      previewNote.textContent = e.message;
    } finally {
      previewBusy = false;
    }
  }

  // --- controls ----------------------------------------------------------------------------------------

  const controlNote = h('p', { class: 'notice', id: 'control-note', role: 'status' });
  async function act(call) {
    notice(controlNote, '');
    try {
      const reply = await call();
      notice(controlNote, (reply && reply.message) || t('done'), 'ok');
      return reply;
    } catch (e) {
      notice(controlNote, e.message, 'error');
      return null;
    }
  }
  const startButton = h('button', { type: 'button', id: 'rec-start', onclick: () => act(() => post('/recordings/start')) }, t('start'));
  const stopButton = h('button', { type: 'button', id: 'rec-stop', onclick: () => act(() => post('/recordings/stop')) }, t('stop'));
  const muteButton = h('button', { type: 'button', id: 'mute', 'aria-pressed': 'false',
    onclick: async () => {
      const r = await act(() => post('/admin/mute', { muted: !status.muted }));
      if (r) { status.muted = r.muted; renderStatus(); }
    } }, t('mute'));
  const logoButton = h('button', { type: 'button', id: 'logo', 'aria-pressed': 'false',
    onclick: async () => {
      const r = await act(() => post('/admin/logo', { visible: !status.logo_visible }));
      if (r) { status.logo_visible = r.visible; renderStatus(); }
    } }, t('logoShow'));
  const cameraButton = h('button', { type: 'button', id: 'camera-reload', onclick: () => act(() => post('/admin/camera/reload')) }, t('cameraReload'));
  const audioButton = h('button', { type: 'button', id: 'audio-check',
    onclick: () => act(async () => {
      const r = await get('/admin/audio/check');
      return { message: t(r.working ? 'audioWorking' : 'audioSilent', { range: r.audio_range }) };
    }) }, t('audioCheck'));

  // --- alerts ----------------------------------------------------------------------------------------

  const alertList = h('ul', { id: 'alerts', class: 'alerts' });
  let alerts = [];
  function renderAlerts(list) {
    alerts = list.slice(0, 20);
    fill(alertList, alerts.length === 0 ? h('li', { class: 'sub' }, t('alertsNone'))
      : alerts.map(a => h('li', {}, h('time', {}, (a.time || '').replace('T', ' ').slice(0, 19)), ' ', a.message)));
  }

  // --- settings: one field per setting of PUT /api/settings, read from the contract ------------------------
  // The app's settings table (de.scheincam.settings.Setting) and the contract name the same fields; the
  // form is built from the contract's (order, type, range, pattern), so a new setting needs no code here,
  // only its label in lang/*.js (without one, the field's name is shown).

  const settingsNote = h('p', { class: 'notice', id: 'settings-note', role: 'status' });
  const settingsFields = h('div', { id: 'settings-fields' });
  const fieldErrors = {};
  const fields = {};
  let loaded = null;
  const timePattern = '([01]?[0-9]|2[0-3]):[0-5][0-9]';
  // per-day windows: while set, the one window for every weekday (start, end, days) is not in effect
  const ONE_WINDOW = ['start_time', 'end_time', 'weekdays'];
  const weekList = h('ul', { id: 'week-windows', class: 'rows' });
  const AFTER = {
    windows: () => h('p', { class: 'sub' }, t('setWindowsHint')),
    weekdays: () => h('div', { class: 'field' }, h('span', {}, t('weekTitle')), weekList),
  };
  function oneWindowInEffect(yes) {
    ONE_WINDOW.forEach(name => fields[name] && fields[name].inputs.forEach(input => { input.disabled = !yes; }));
  }
  function showWeek(week) {
    const names = t('weekdaysShort');
    fill(weekList, (week || []).map(d => h('li', { 'data-weekday': d.weekday }, `${names[d.weekday]}: `,
      d.windows.length === 0 ? t('weekNone') : d.windows.map(w => `${w.start_time}–${w.end_time}`).join(', '))));
  }
  const settingsForm = h('form', { id: 'settings-form', class: 'settings', novalidate: true, onsubmit: saveSettings },
    settingsFields,
    h('button', { type: 'submit', id: 'settings-save', class: 'primary' }, t('save')),
    settingsNote);

  /** The fields of PUT /api/settings in the contract's order, each with its (resolved) schema. */
  async function contractFields() {
    const spec = await get('/openapi.json');
    const resolve = schema => (schema && schema.$ref
      ? resolve(schema.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k], spec)) : schema);
    const body = resolve(spec.paths['/settings'].put.requestBody.content['application/json'].schema);
    return Object.entries(body.properties).map(([name, schema]) => ({ name, schema: resolve(schema) }));
  }

  function labelOf(name) {
    const text = t(`settingLabels.${name}`);
    return text === `settingLabels.${name}` ? name : text;
  }

  /** One field: its markup, how to show a value, how to read what the operator wants (undefined: nothing). */
  function settingField(name, schema) {
    const id = `set-${name}`;
    const error = fieldErrors[name] = h('span', { class: 'field-error', id: `err-${name}`, role: 'alert' });
    if (schema.type === 'array') {
      // weekdays, as the API numbers them: 0 = Monday … 6 = Sunday
      const boxes = t('weekdaysShort').map((d, i) => h('input', { type: 'checkbox', id: `set-weekday-${i}`, value: i }));
      return { inputs: boxes,
        element: h('fieldset', { class: 'field weekdays' }, h('legend', {}, labelOf(name)),
          boxes.map((box, i) => h('label', { for: box.id, class: 'day' }, box, t('weekdaysShort')[i])), error),
        show: v => boxes.forEach((box, i) => { box.checked = (v || []).includes(i); }),
        read: () => boxes.filter(b => b.checked).map(b => +b.value) };
    }
    if (schema.type === 'boolean') {
      const input = h('input', { id, name, type: 'checkbox', 'aria-describedby': error.id });
      return { inputs: [input], element: h('div', { class: 'field check' }, input, h('label', { for: id }, labelOf(name)), error),
        show: v => { input.checked = !!v; }, read: () => input.checked };
    }
    const attrs = { id, name, 'aria-describedby': error.id };
    let read;
    if (schema.type === 'integer') {
      Object.assign(attrs, { type: 'number', min: schema.minimum, max: schema.maximum, required: true });
      read = input => (input.value === '' ? null : Number(input.value));
    } else if (schema.writeOnly) {
      // a password: never shown; sent only when typed
      Object.assign(attrs, { type: 'password', autocomplete: 'new-password' });
      read = input => (input.value === '' ? undefined : input.value);
    } else {
      Object.assign(attrs, { type: 'text', maxlength: schema.maxLength,
        pattern: schema.pattern ? schema.pattern.replace(/^\^|\$$/g, '') : null,
        placeholder: schema.example && typeof schema.example === 'string' ? schema.example : null });
      read = input => input.value.trim();
    }
    const input = h('input', attrs);
    if (name === 'windows') input.addEventListener('input', () => oneWindowInEffect(input.value.trim() === ''));
    return { inputs: [input],
      element: h('div', { class: 'field' }, h('label', { for: id }, labelOf(name)), input, error),
      show: (v, s) => {
        input.value = schema.writeOnly ? '' : (v ?? '');
        if (schema.writeOnly) input.placeholder = s[`${name}_set`] ? t('secretSet') : t('secretNotSet');
      },
      read: () => read(input) };
  }

  async function buildSettingsForm() {
    for (const { name, schema } of await contractFields()) {
      const f = fields[name] = settingField(name, schema);
      settingsFields.append(f.element);
      if (AFTER[name]) settingsFields.append(AFTER[name]());
    }
  }

  function showSettings(s) {
    loaded = s;
    Object.entries(fields).forEach(([name, f]) => f.show(s[name], s));
    oneWindowInEffect(!s.windows);
    showWeek(s.week);
    if (s.exceptions) showExceptions(s.exceptions);
  }

  function clearFieldErrors() {
    Object.entries(fieldErrors).forEach(([name, el]) => {
      el.textContent = '';
      (fields[name] ? fields[name].inputs : []).forEach(input => input.removeAttribute('aria-invalid'));
    });
  }

  async function saveSettings(event) {
    event.preventDefault();
    clearFieldErrors();
    notice(settingsNote, '');
    // only what the operator changed: the rest stays where it came from (application.properties, environment)
    const changes = {};
    for (const [name, f] of Object.entries(fields)) {
      const wanted = f.read();
      if (wanted === undefined) continue;
      const now = loaded ? loaded[name] ?? (typeof wanted === 'string' ? '' : null) : null;
      if (JSON.stringify(wanted) !== JSON.stringify(now)) changes[name] = wanted;
    }
    try {
      if (Object.keys(changes).length > 0) await put('/settings', changes);
      const saved = await post('/settings/save');
      showSettings(saved.settings);
      notice(settingsNote, t('saved'), 'ok');
    } catch (e) {
      const name = e instanceof ApiError ? e.field : null;
      if (name && fieldErrors[name]) {
        fieldErrors[name].textContent = e.detail;
        const input = fields[name].inputs[0];
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
      notice(settingsNote, e.message, 'error');
    }
  }

  // --- schedule exceptions -------------------------------------------------------------------------------

  const exceptionsNote = h('p', { class: 'notice', id: 'exceptions-note', role: 'status' });
  const closedList = h('ul', { id: 'closed-dates', class: 'rows' });
  const extraList = h('ul', { id: 'extra-shows', class: 'rows' });
  let exceptions = { closed_dates: [], extra_shows: [] };
  const closedInput = h('input', { type: 'date', id: 'closed-new' });
  const extraDate = h('input', { type: 'date', id: 'extra-date' });
  const extraStart = h('input', { type: 'text', id: 'extra-start', inputmode: 'numeric', pattern: timePattern, placeholder: 'HH:MM' });
  const extraEnd = h('input', { type: 'text', id: 'extra-end', inputmode: 'numeric', pattern: timePattern, placeholder: 'HH:MM' });

  function showExceptions(ex) {
    exceptions = { closed_dates: [...(ex.closed_dates || [])], extra_shows: [...(ex.extra_shows || [])] };
    fill(closedList, exceptions.closed_dates.map((d, i) => h('li', {}, d, ' ',
      h('button', { type: 'button', class: 'small', 'aria-label': t('removeItem', { item: d }),
        onclick: () => { exceptions.closed_dates.splice(i, 1); showExceptions(exceptions); } }, t('remove')))));
    fill(extraList, exceptions.extra_shows.map((x, i) => h('li', {}, `${x.date} ${x.start_time}–${x.end_time}`, ' ',
      h('button', { type: 'button', class: 'small', 'aria-label': t('removeItem', { item: x.date }),
        onclick: () => { exceptions.extra_shows.splice(i, 1); showExceptions(exceptions); } }, t('remove')))));
  }

  async function saveExceptions() {
    notice(exceptionsNote, '');
    try {
      showExceptions(await put('/schedule/exceptions', exceptions));
      notice(exceptionsNote, t('saved'), 'ok');
    } catch (e) {
      notice(exceptionsNote, e.message, 'error');
    }
  }

  // --- recordings ------------------------------------------------------------------------------------

  const recordingsNote = h('p', { class: 'notice', id: 'recordings-note', role: 'status' });
  const recordingsBody = h('tbody', { id: 'recordings' });
  async function loadRecordings() {
    const { videos } = await get('/videos');
    if (!alive) return;
    fill(recordingsBody, videos.map(rec => {
      const start = parseLocal(rec.start_time);
      const label = start ? `${day(start)} · ${hm(start.secondsOfDay)}` : rec.name;
      const keep = h('input', { type: 'checkbox', checked: !!rec.keep, 'aria-label': t('keepLabel', { name: label }),
        onchange: async () => {
          try { await put(`/videos/${encodeURIComponent(rec.name)}/keep`, { keep: keep.checked }); notice(recordingsNote, t('saved'), 'ok'); }
          catch (e) { keep.checked = !keep.checked; notice(recordingsNote, e.message, 'error'); }
        } });
      return h('tr', { dataset: { name: rec.name } },
        h('td', {}, label, rec.in_progress ? h('span', { class: 'badge live' }, t('live')) : null),
        h('td', {}, rec.duration ? length(rec.duration) : '–'),
        h('td', {}, bytes(rec.size)),
        h('td', {}, keep),
        h('td', {}, h('button', { type: 'button', class: 'small danger', 'aria-label': t('deleteLabel', { name: label }),
          onclick: async () => {
            if (!window.confirm(t('confirmDelete', { name: label }))) return;
            try { await del(`/videos/${encodeURIComponent(rec.name)}`); notice(recordingsNote, t('deleted', { name: label }), 'ok'); loadRecordings(); }
            catch (e) { notice(recordingsNote, e.message, 'error'); }
          } }, t('delete'))));
    }));
  }

  // --- logs ---------------------------------------------------------------------------------------------

  const logSelect = h('select', { id: 'log-file' });
  const logText = h('pre', { id: 'log-text', class: 'log', tabindex: 0 });
  async function loadLogs() {
    const { logs } = await get('/admin/logs');
    fill(logSelect, logs.map(name => h('option', { value: name }, name)));
    if (logs.length === 0) logText.textContent = t('logsNone');
  }
  async function showLog() {
    if (!logSelect.value) return;
    try { logText.textContent = await get(`/admin/logs/${encodeURIComponent(logSelect.value)}?lines=200`); }
    catch (e) { logText.textContent = e.message; }
  }

  // --- page ---------------------------------------------------------------------------------------------

  function render() {
    fill(main,
      h('div', { class: 'title-row' }, h('h1', {}, t('dashTitle')),
        h('button', { type: 'button', id: 'logout', class: 'small', onclick: async () => { await logout().catch(() => {}); location.hash = '#/'; } }, t('logout'))),
      h('section', { class: 'dash' },
        h('dl', { class: 'stats', id: 'stats' },
          card(t('obs'), obsState),
          card(t('recording'), recState, sizeState),
          h('div', { class: 'stat' }, h('dt', {}, t('audio')), h('dd', {}, meter, ' ', dbText)),
          card(t('scene'), sceneState),
          card(t('logo'), logoState),
          card(t('nextRecording'), nextState),
          card(t('disk'), diskState),
          card(t('watchdog'), watchState)),
        h('figure', { class: 'preview-box' }, preview, h('figcaption', {}, t('preview')), previewNote)),
      h('section', { class: 'card' }, h('h2', {}, t('controls')),
        h('div', { class: 'buttons' }, startButton, stopButton, muteButton, logoButton, cameraButton, audioButton), controlNote),
      h('section', { class: 'card' }, h('h2', {}, t('alerts')), alertList),
      h('section', { class: 'card' }, h('h2', {}, t('settings')), settingsForm),
      h('section', { class: 'card' }, h('h2', {}, t('exceptions')),
        h('h3', {}, t('closedDates')), closedList,
        h('div', { class: 'inline' }, h('div', {}, h('label', { for: 'closed-new' }, t('date')), closedInput),
          h('button', { type: 'button', id: 'closed-add', onclick: () => {
            if (closedInput.value && !exceptions.closed_dates.includes(closedInput.value)) {
              exceptions.closed_dates.push(closedInput.value); showExceptions(exceptions);
            }
          } }, t('add'))),
        h('h3', {}, t('extraShows')), extraList,
        h('div', { class: 'inline' },
          h('div', {}, h('label', { for: 'extra-date' }, t('date')), extraDate),
          h('div', {}, h('label', { for: 'extra-start' }, t('setStart')), extraStart),
          h('div', {}, h('label', { for: 'extra-end' }, t('setEnd')), extraEnd),
          h('button', { type: 'button', id: 'extra-add', onclick: () => {
            if (extraDate.value && extraStart.value && extraEnd.value) {
              exceptions.extra_shows.push({ date: extraDate.value, start_time: extraStart.value.trim(), end_time: extraEnd.value.trim() });
              showExceptions(exceptions);
            }
          } }, t('add'))),
        h('button', { type: 'button', id: 'exceptions-save', class: 'primary', onclick: saveExceptions }, t('saveExceptions')),
        exceptionsNote),
      h('section', { class: 'card' }, h('h2', {}, t('recordings')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'recordings' },
          h('thead', {}, h('tr', {}, [t('colShow'), t('colDuration'), t('colSize'), t('colKeep'), t('colActions')].map(c => h('th', { scope: 'col' }, c)))),
          recordingsBody)),
        recordingsNote),
      h('section', { class: 'card' }, h('h2', {}, t('logs')),
        h('div', { class: 'inline' }, h('label', { for: 'log-file' }, t('logFile')), logSelect,
          h('button', { type: 'button', id: 'log-show', onclick: showLog }, t('logShow'))),
        logText));
  }

  async function start() {
    render();
    renderStatus();
    offs.push(live.on('recording', s => { Object.assign(status, s); renderStatus(); }));
    offs.push(live.on('show-health', verdict => { status.watchdog = verdict; renderWatchdog(verdict); }));
    offs.push(live.on('alert', a => renderAlerts([a, ...alerts])));
    offs.push(live.on('audio', level => {
      meter.value = Math.max(-60, level.db);
      dbText.textContent = `${Math.round(level.db)} dB`;
    }));
    timers.push(setInterval(() => elapsedAt && tick(), 1000));
    timers.push(setInterval(refreshPreview, 1000));
    const failures = [];
    await Promise.all([
      loadStatus(), buildSettingsForm().then(() => get('/settings')).then(showSettings), loadRecordings(), loadLogs(), refreshPreview(),
    ].map(p => p.catch(e => failures.push(e))));
    if (failures.length) notice(controlNote, failures[0].message, 'error');
  }

  (async () => {
    try {
      const s = await session();
      if (!alive) return;
      if (s.role !== 'admin') await loginForm(main, t('loginAdmin'));
      if (alive) await start();
    } catch (e) {
      fill(main, h('p', { class: 'notice error', role: 'alert' }, e.message));
    }
  })();

  return () => { alive = false; offs.forEach(off => off()); timers.forEach(clearInterval); };
}
