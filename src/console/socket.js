// Subscriptions over `/graphql/ws` (protocol graphql-transport-ws), with the access token in
// the `connection_init` payload. The server closes the socket when the token expires (4401):
// the client then rotates the session and reconnects, as it does after any drop and after a
// new sign-in. A consumer that hears "live" again after a drop should reload what it shows,
// since events sent while it was away are not replayed.

import { currentSession, onSession, refresh } from './api.js';

const PROTOCOL = 'graphql-transport-ws';

/**
 * Subscribes to `query` and calls `onData(data)` for every event; `onState(text)` hears
 * "live", "reconnecting" or "offline". Returns a function that ends the subscription.
 */
export function subscribe(query, variables, onData, onState = () => {}) {
  let ws = null;
  let stopped = false;
  let attempt = 0;
  let retry = null;

  const open = () => {
    const s = currentSession();
    if (stopped || !s) return;
    const token = s.accessToken;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(`${scheme}//${location.host}/graphql/ws`, PROTOCOL);
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
    };
    ws.onmessage = (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (msg.type === 'connection_ack') {
        attempt = 0;
        onState('live');
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      } else if (msg.type === 'next' && msg.payload && msg.payload.data) {
        onData(msg.payload.data);
      } else if (msg.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      } else if (msg.type === 'error') {
        onState('offline');
      }
    };
    ws.onclose = async (ev) => {
      ws = null;
      if (stopped) return;
      onState('reconnecting');
      const now = currentSession();
      if (ev.code === 4401 && (!now || now.accessToken === token)) {
        // Rotate only if nobody did since this socket opened with the token.
        const renewed = await refresh().catch(() => null);
        if (!renewed) {
          onState('offline');
          return;
        }
      }
      attempt += 1;
      retry = setTimeout(open, Math.min(30000, 500 * 2 ** Math.min(attempt, 6)));
    };
  };

  open();
  // After a new sign-in (the session had ended), connect again.
  const off = onSession((s, why) => {
    if (s && why === 'signed-in' && !ws && !stopped) {
      clearTimeout(retry);
      open();
    }
  });
  return () => {
    off();
    stopped = true;
    clearTimeout(retry);
    if (ws) ws.close(1000, 'done');
  };
}
