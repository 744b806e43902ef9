// The web UI: the performer's clip flow at #/ and #/show/<name>, the operator's dashboard at #/admin.
import { t, lang, setLang, translateStatic } from './i18n.js';
import * as live from './live.js';
import { showList, showEditor } from './performer.js';
import { dashboard } from './operator.js';

let leave = null;

function route() {
  if (leave) { leave(); leave = null; }
  const main = document.getElementById('main');
  main.replaceChildren();
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  document.getElementById('nav-admin').toggleAttribute('aria-current', hash.startsWith('/admin'));
  document.getElementById('nav-performer').toggleAttribute('aria-current', !hash.startsWith('/admin'));
  let match;
  if (hash.startsWith('/admin')) leave = dashboard(main);
  else if ((match = /^\/show\/([\w.-]+)$/.exec(hash))) leave = showEditor(main, match[1]);
  else leave = showList(main);
}

function header() {
  translateStatic();
  const button = document.getElementById('lang');
  button.textContent = t('switchLang');
  button.setAttribute('aria-label', t('switchLangLabel'));
  button.lang = lang() === 'de' ? 'en' : 'de';
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(lang() === 'de' ? 'en' : 'de');
  header();
  route();
});

live.onConnection(up => {
  const el = document.getElementById('live-state');
  el.textContent = up ? '●' : t('liveOff');
  el.title = up ? t('liveOn') : t('liveOff');
  el.setAttribute('aria-label', up ? t('liveOn') : t('liveOff'));
  el.classList.toggle('up', up);
});

window.addEventListener('hashchange', route);
header();
live.connect();
route();
