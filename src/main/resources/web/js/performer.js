// The performer's flow: pick the evening, find the act on a timeline with a filmstrip and a large
// frame, set start and end, export with progress, download with the friendly name.
import { t } from './i18n.js';
import { h, fill, notice } from './dom.js';
import { api, get, post, session, login, ApiError } from './api.js';
import * as live from './live.js';
import { parseLocal, hms, hm, parseHms, length, day } from './time.js';

const THUMB_W = 96;
const THUMB_H = 54;

/** A login form; resolves once logged in. */
export function loginForm(container, intro) {
  return new Promise(resolve => {
    const error = h('p', { class: 'notice', role: 'alert' });
    const input = h('input', { id: 'password', type: 'password', name: 'password', autocomplete: 'current-password', required: true });
    const form = h('form', {
      class: 'card login',
      onsubmit: async event => {
        event.preventDefault();
        notice(error, '');
        try {
          const s = await login(input.value);
          resolve(s);
        } catch (e) {
          notice(error, e instanceof ApiError ? e.message : String(e), 'error');
          input.select();
        }
      },
    },
    h('h1', {}, t('loginTitle')),
    h('p', {}, intro),
    h('label', { for: 'password' }, t('password')),
    input,
    h('button', { type: 'submit', id: 'login' }, t('login')),
    error);
    fill(container, form);
    input.focus();
  });
}

/** Shows are named by their start; a label such as "Mittwoch, 24.01.2025 · 19:50–22:10". */
function showLabel(rec) {
  const start = parseLocal(rec.start_time);
  if (!start) return rec.name;
  const end = parseLocal(rec.end_time);
  const until = rec.in_progress ? t('liveRunning') : end ? hm(end.secondsOfDay) : '';
  return `${day(start)} · ${hm(start.secondsOfDay)}–${until}`;
}

/** Who may watch: a viewer password asks for a login first. */
async function viewerAllowed(main) {
  const s = await session();
  if (s.role === 'none') {
    await loginForm(main, t('loginViewer'));
  }
}

export function showList(main) {
  let alive = true;
  const list = h('ul', { class: 'shows', id: 'shows', 'aria-live': 'polite' });
  const error = h('p', { class: 'notice', role: 'alert' });

  async function load() {
    try {
      const { videos } = await get('/videos');
      if (!alive) return;
      fill(list, videos.length === 0 ? h('li', { class: 'empty' }, t('showsEmpty')) : videos.map(rec =>
        h('li', {},
          h('a', { class: 'show', href: `#/show/${encodeURIComponent(rec.name)}`, dataset: { name: rec.name } },
            h('span', { class: 'show-label' }, showLabel(rec)),
            rec.in_progress ? h('span', { class: 'badge live' }, t('live')) : null,
            rec.duration ? h('span', { class: 'show-length' }, length(rec.duration)) : null))));
    } catch (e) {
      notice(error, e.message, 'error');
    }
  }

  (async () => {
    try {
      await viewerAllowed(main);
    } catch (e) {
      notice(error, e.message, 'error');
    }
    if (!alive) return;
    fill(main, h('h1', {}, t('showsTitle')), h('p', { class: 'intro' }, t('showsIntro')), error, list);
    load();
  })();
  // a show starting or ending changes the list
  const off = live.on('recording', (() => {
    let last = null;
    return status => {
      if (status.recording !== last) { last = status.recording; load(); }
    };
  })());
  return () => { alive = false; off(); };
}

export function showEditor(main, name) {
  let alive = true;
  const offs = [];
  const state = { rec: null, start: 0, duration: 0, pos: 0, from: null, to: null, job: null, frameSeq: 0 };

  const title = h('h1', {}, name);
  const error = h('p', { class: 'notice', role: 'alert', id: 'error' });
  const frame = h('img', { id: 'frame', class: 'frame', alt: '', width: 800, height: 450 });
  const frameTime = h('figcaption', { id: 'frame-time' });
  const scrub = h('input', { id: 'scrub', type: 'range', min: 0, max: 0, step: 1, value: 0 });
  const posOut = h('output', { id: 'position', for: 'scrub' });
  const strip = h('div', { class: 'filmstrip', id: 'filmstrip', role: 'group', 'aria-label': t('filmstrip'), hidden: true });
  const fromInput = h('input', { id: 'clip-start', type: 'text', inputmode: 'numeric', autocomplete: 'off',
    placeholder: 'HH:MM:SS', pattern: '([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?', 'aria-describedby': 'clip-length' });
  const toInput = h('input', { id: 'clip-end', type: 'text', inputmode: 'numeric', autocomplete: 'off',
    placeholder: 'HH:MM:SS', pattern: '([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?', 'aria-describedby': 'clip-length' });
  const clipLength = h('p', { id: 'clip-length', class: 'clip-length', 'aria-live': 'polite' });
  const firstImg = h('img', { id: 'first-frame', alt: t('firstFrame'), width: 320, height: 180 });
  const lastImg = h('img', { id: 'last-frame', alt: t('lastFrame'), width: 320, height: 180 });
  // clips are frame-exact by default; the quick cut starts at the keyframe before (some players show that lead-in)
  const quickBox = h('input', { type: 'checkbox', id: 'quick' });
  const exportButton = h('button', { type: 'button', id: 'export', class: 'primary', disabled: true, onclick: startExport }, t('exportClip'));
  const progress = h('progress', { id: 'export-progress', max: 1, value: 0, hidden: true, 'aria-label': t('exportProgress') });
  const exportState = h('p', { id: 'export-state', role: 'status' });
  const download = h('a', { id: 'download', class: 'button primary', hidden: true });

  const wall = offset => hms(state.start + offset);
  const offsetOf = secondsOfDay => ((secondsOfDay - state.start) % 86400 + 86400) % 86400;

  function nudgeButton(delta, key) {
    return h('button', { type: 'button', class: 'nudge', 'aria-label': t(`${key}Label`), dataset: { delta },
      onclick: () => setPos(state.pos + delta, true) }, t(key));
  }

  const render = () => fill(main,
    h('a', { href: '#/', class: 'back' }, t('back')),
    title,
    error,
    h('section', { class: 'viewer' },
      h('figure', { class: 'frame-box' }, frame, frameTime),
      h('div', { class: 'scrub' },
        h('label', { for: 'scrub' }, t('position')), scrub, posOut),
      strip,
      h('div', { class: 'nudges', role: 'group', 'aria-label': t('nudge') },
        nudgeButton(-5, 'minus5'), nudgeButton(-1, 'minus1'), nudgeButton(1, 'plus1'), nudgeButton(5, 'plus5')),
      h('div', { class: 'marks' },
        h('button', { type: 'button', id: 'start-here', onclick: () => setFrom(state.pos) }, t('startHere')),
        h('button', { type: 'button', id: 'end-here', onclick: () => setTo(state.pos) }, t('endHere')))),
    h('section', { class: 'clip card' },
      h('div', { class: 'times' },
        h('div', {}, h('label', { for: 'clip-start' }, t('clipStart')), fromInput),
        h('div', {}, h('label', { for: 'clip-end' }, t('clipEnd')), toInput)),
      clipLength,
      h('div', { class: 'ends' },
        h('figure', {}, firstImg, h('figcaption', {}, t('firstFrame'))),
        h('figure', {}, lastImg, h('figcaption', {}, t('lastFrame')))),
      h('div', { class: 'check' }, quickBox, h('label', { for: 'quick' }, t('quick'))),
      exportButton, progress, exportState, download));

  // --- position and the large frame ----------------------------------------------------------------

  let frameTimer = null;
  function setPos(offset, immediate = false) {
    state.pos = Math.max(0, Math.min(Math.floor(state.duration), Math.round(offset)));
    scrub.value = state.pos;
    posOut.textContent = wall(state.pos);
    scrub.setAttribute('aria-valuetext', wall(state.pos));
    clearTimeout(frameTimer);
    frameTimer = setTimeout(loadFrame, immediate ? 0 : 120);
  }

  async function frameAt(offset) {
    const reply = await post('/videos/frame', { filename: name, timestamp: wall(Math.min(offset, Math.max(0, state.duration - 0.5))) });
    return reply.image;
  }

  async function loadFrame() {
    const seq = ++state.frameSeq;
    const at = state.pos;
    frame.setAttribute('aria-busy', 'true');
    try {
      const image = await frameAt(at);
      if (!alive || seq !== state.frameSeq) return;
      frame.src = image;
      frame.alt = t('frameAlt', { time: wall(at) });
      frame.dataset.time = wall(at);
      frameTime.textContent = wall(at);
      notice(error, '');
    } catch (e) {
      if (alive && seq === state.frameSeq) notice(error, e.message, 'error');
    } finally {
      if (seq === state.frameSeq) frame.removeAttribute('aria-busy');
    }
  }

  scrub.addEventListener('input', () => setPos(+scrub.value));

  // --- the clip's start and end -----------------------------------------------------------------------

  function setFrom(offset) { state.from = offset; fromInput.value = wall(offset); clipChanged(true, false); }
  function setTo(offset) { state.to = offset; toInput.value = wall(offset); clipChanged(false, true); }

  function typed(input, key) {
    const secondsOfDay = parseHms(input.value);
    if (secondsOfDay == null) {
      state[key] = null;
      input.setAttribute('aria-invalid', 'true');
      if (input.value.trim()) notice(error, t('timeFormat'), 'error');
    } else {
      input.removeAttribute('aria-invalid');
      notice(error, '');
      state[key] = offsetOf(secondsOfDay);
      input.value = hms(secondsOfDay);
    }
    clipChanged(key === 'from', key === 'to');
  }
  fromInput.addEventListener('change', () => typed(fromInput, 'from'));
  toInput.addEventListener('change', () => typed(toInput, 'to'));

  async function endFrame(img, offset) {
    try {
      img.src = await frameAt(offset);
      img.dataset.time = wall(offset);
    } catch (e) {
      notice(error, e.message, 'error');
    }
  }

  function clipChanged(fromChanged, toChanged) {
    const ok = state.from != null && state.to != null && state.to > state.from;
    exportButton.disabled = !ok || state.job != null;
    if (state.from != null && state.to != null && !ok) clipLength.textContent = t('clipInvalid');
    else clipLength.textContent = ok ? t('clipLength', { length: length(state.to - state.from) }) : '';
    if (fromChanged && state.from != null) endFrame(firstImg, state.from);
    if (toChanged && state.to != null) endFrame(lastImg, state.to);
    if (fromChanged || toChanged) download.hidden = true; // a new stretch needs a new export
  }

  // --- export ------------------------------------------------------------------------------------------

  async function startExport() {
    notice(error, '');
    download.hidden = true;
    exportButton.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    exportState.textContent = t('exportQueued');
    try {
      const reply = await api('POST', '/videos/export',
        { filename: name, start_time: wall(state.from), end_time: wall(state.to), mode: quickBox.checked ? 'copy' : 'exact' },
        { Prefer: 'respond-async' });
      state.job = reply.data.job_id;
      exportUpdate(reply.data);
      if (reply.status === 202) {
        // it may have finished between the answer and our listening: read it once
        exportUpdate(await get(`/exports/${state.job}`));
      }
    } catch (e) {
      state.job = null;
      progress.hidden = true;
      exportState.textContent = '';
      notice(error, e.message, 'error');
      clipChanged(false, false);
    }
  }

  function exportUpdate(job) {
    if (!alive || !state.job || job.job_id !== state.job) return;
    if (job.state === 'done') {
      progress.value = 1;
      exportState.textContent = t('exportDone');
      download.href = job.download_url;
      download.setAttribute('download', job.download_name);
      download.textContent = t('download', { name: job.download_name });
      download.hidden = false;
      state.job = null;
      clipChanged(false, false);
      download.focus();
    } else if (job.state === 'failed') {
      progress.hidden = true;
      exportState.textContent = '';
      notice(error, `${t('exportFailed')} ${job.error || ''}`.trim(), 'error');
      state.job = null;
      clipChanged(false, false);
    } else if (job.state === 'running') {
      progress.value = job.progress || 0;
      exportState.textContent = t('exporting', { percent: Math.round((job.progress || 0) * 100) });
    }
  }
  offs.push(live.on('export', exportUpdate));
  offs.push(live.onConnection(up => {
    if (up && state.job) get(`/exports/${state.job}`).then(exportUpdate).catch(() => {});
  }));

  // --- filmstrip ------------------------------------------------------------------------------------

  async function loadFilmstrip() {
    const every = state.duration > 7200 ? 120 : state.duration > 1200 ? 60 : state.duration > 300 ? 15 : 5;
    let strip_;
    try {
      strip_ = await get(`/videos/${encodeURIComponent(name)}/filmstrip?every=${every}`);
    } catch (e) {
      return; // the filmstrip is a help, not a must
    }
    if (!alive || !strip_.count) return;
    const rows = Math.ceil(strip_.count / strip_.columns);
    fill(strip, strip_.offsets.map((offset, i) => {
      const button = h('button', { type: 'button', class: 'thumb', 'aria-label': t('filmstripJump', { time: strip_.times[i] }),
        title: strip_.times[i], onclick: () => setPos(offset, true) });
      button.style.backgroundImage = `url("${strip_.sprite_url}")`;
      button.style.backgroundSize = `${strip_.columns * THUMB_W}px ${rows * THUMB_H}px`;
      button.style.backgroundPosition = `-${(i % strip_.columns) * THUMB_W}px -${Math.floor(i / strip_.columns) * THUMB_H}px`;
      return button;
    }));
    strip.hidden = false;
  }

  // --- the recording -------------------------------------------------------------------------------------

  async function loadRecording(first) {
    const rec = await get(`/videos/${encodeURIComponent(name)}`);
    if (!alive) return;
    state.rec = rec;
    const start = parseLocal(rec.start_time);
    state.start = start ? start.secondsOfDay : 0;
    const end = parseLocal(rec.end_time);
    state.duration = rec.duration || (end ? offsetOf(end.secondsOfDay) : 0);
    scrub.max = Math.max(0, Math.floor(state.duration));
    fill(title, showLabel(rec), rec.in_progress ? h('span', { class: 'badge live' }, t('live')) : null);
    if (first) {
      setPos(rec.in_progress ? Math.max(0, state.duration - 5) : 0, true);
      loadFilmstrip();
    }
  }

  (async () => {
    try {
      await viewerAllowed(main);
      if (!alive) return;
      render();
      await loadRecording(true);
    } catch (e) {
      if (!main.contains(error)) render();
      notice(error, e.message, 'error');
    }
  })();
  // a live show grows: its length follows the recording's pushed progress
  offs.push(live.on('recording', () => { if (state.rec && state.rec.in_progress) loadRecording(false).catch(() => {}); }));

  return () => { alive = false; clearTimeout(frameTimer); offs.forEach(off => off()); };
}
