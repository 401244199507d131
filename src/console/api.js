// The GraphQL client: one request function, the session kept in memory only.
//
// The access token never touches storage; it lives in this module and goes out as a bearer
// header. Before it expires the refresh token is rotated through `refreshSession` (one
// rotation at a time: presenting a used refresh token again revokes the whole session). When a
// refresh fails the session ends and the console asks for a sign-in again, keeping the screen
// (and any half-written form) underneath.

let session = null;
let refreshing = null;
let timer = null;
const listeners = new Set();

/** A refusal from the server: its message, `extensions.code` and the rest of `extensions`. */
export class ApiError extends Error {
  constructor(message, code, extensions = {}) {
    super(message);
    this.code = code;
    this.extensions = extensions;
  }
}

/** The clause a refusal cites, when its message ends with one in parentheses. */
export function clauseOf(message) {
  const m = /\(([^()]*(?:MT|IL)\s[^()]*)\)\s*\.?$/.exec(message || '');
  return m ? m[1] : null;
}

const PAYLOAD = 'accessToken refreshToken expiresAt user { id email name role responsibilities department { code name website websiteUrl directive } }';

export function currentSession() {
  return session;
}

/** Calls `fn(session)` on every sign-in, rotation and sign-out; returns an unsubscribe. */
export function onSession(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setSession(next, why) {
  session = next;
  clearTimeout(timer);
  if (next) {
    // Rotate a minute before the access token expires (at once if it is shorter-lived).
    const wait = Math.max(5000, new Date(next.expiresAt).getTime() - Date.now() - 60000);
    timer = setTimeout(() => refresh().catch(() => {}), wait);
  }
  for (const fn of listeners) fn(next, why);
}

async function post(query, variables, token) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let resp;
  try {
    resp = await fetch('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError('the server cannot be reached; check the connection and retry', 'NETWORK');
  }
  let body = null;
  try {
    body = await resp.json();
  } catch (e) {
    throw new ApiError(`the server answered ${resp.status} without a GraphQL body`, 'HTTP');
  }
  return body;
}

function firstError(body) {
  const e = body && body.errors && body.errors[0];
  if (!e) return null;
  const ext = e.extensions || {};
  return new ApiError(e.message, ext.code || 'ERROR', ext);
}

/** Rotates the refresh token; resolves to the new session or null when it has ended. */
export function refresh() {
  if (refreshing) return refreshing;
  const old = session;
  if (!old) return Promise.resolve(null);
  refreshing = (async () => {
    try {
      const q = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`;
      const body = await post(q, { t: old.refreshToken });
      const err = firstError(body);
      if (err) {
        if (err.code === 'NETWORK' || err.code === 'UNAVAILABLE') throw err;
        setSession(null, 'expired');
        return null;
      }
      setSession(body.data.refreshSession, 'rotated');
      return session;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Runs a query or mutation; resolves to `data` or throws the first error as an ApiError. */
export async function gql(query, variables = {}) {
  let body = await post(query, variables, session && session.accessToken);
  let err = firstError(body);
  if (err && err.code === 'UNAUTHENTICATED' && session) {
    const renewed = await refresh();
    if (renewed) {
      body = await post(query, variables, renewed.accessToken);
      err = firstError(body);
    }
  }
  if (err) {
    if (err.code === 'UNAUTHENTICATED' && session) setSession(null, 'expired');
    throw err;
  }
  return body.data;
}

/** Signs in with e-mail and password. */
export async function login(email, password) {
  const q = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ${PAYLOAD} } }`;
  const body = await post(q, { e: email, p: password });
  const err = firstError(body);
  if (err) throw err;
  setSession(body.data.login, 'signed-in');
  return session;
}

/** Ends the session on the server (`logout`) and forgets it here. */
export async function logout() {
  const old = session;
  setSession(null, 'signed-out');
  if (old) {
    try {
      await post('mutation($t: String!) { logout(refreshToken: $t) }', { t: old.refreshToken }, old.accessToken);
    } catch (e) {
      // Signed out here either way; the refresh token expires by itself.
    }
  }
}
