// Live updates pushed by the server over /events: recording state, audio level, export progress,
// alerts, the watchdog's verdict. Reconnects by itself with a growing pause; never polls.
const listeners = new Map();
const stateListeners = new Set();
let socket = null;
let pause = 500;
let connected = false;

export function on(type, callback) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(callback);
  return () => listeners.get(type).delete(callback);
}

export function onConnection(callback) {
  stateListeners.add(callback);
  return () => stateListeners.delete(callback);
}

export function isConnected() { return connected; }

function setConnected(value) {
  if (connected === value) return;
  connected = value;
  stateListeners.forEach(cb => cb(value));
}

export function connect() {
  if (socket) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/events`;
  socket = new WebSocket(url);
  socket.addEventListener('open', () => { pause = 500; setConnected(true); });
  socket.addEventListener('message', event => {
    let message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    (listeners.get(message.type) || []).forEach(cb => cb(message.data));
  });
  socket.addEventListener('close', () => {
    socket = null;
    setConnected(false);
    setTimeout(connect, pause);
    pause = Math.min(pause * 2, 10000);
  });
  socket.addEventListener('error', () => socket && socket.close());
}
