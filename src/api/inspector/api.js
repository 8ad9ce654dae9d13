// The inspector's calls to the API: JSON reads with the session's token (a 401 asks for a login
// and retries), the login itself, and the server-sent event stream read from a fetch body (an
// EventSource cannot send the Authorization header).

const TOKEN_KEY = 'alpha-panda.token';

/** Raised when a read answered 401 and no login has been given yet. */
export class NeedsLogin extends Error {}

let askLogin = async () => {
  throw new NeedsLogin('log in first');
};
let pendingLogin = null;

/** Sets the function that shows the login form and resolves once a token is stored. */
export function onLoginNeeded(fn) {
  askLogin = fn;
}

function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function loginOnce() {
  pendingLogin ??= askLogin().finally(() => (pendingLogin = null));
  return pendingLogin;
}

/** Sends a GET to `path` with the session's token; logs in and retries once on 401. */
async function authorizedGet(path, init = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(path, { ...init, headers: { ...authHeaders(), ...init.headers } });
    if (res.status !== 401 || attempt > 0) return res;
    sessionStorage.removeItem(TOKEN_KEY);
    await loginOnce();
  }
}

/** GETs `path` as JSON; throws an Error with the API's message on any other status than 200. */
export async function getJson(path) {
  const res = await authorizedGet(path);
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = body?.error?.message ?? res.statusText;
    throw new Error(`GET ${path}: ${res.status} ${msg}`);
  }
  return body;
}

/** Logs in; stores the token for this browser tab. Throws with the API's message on failure. */
export async function login(username, password) {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok || typeof body?.token !== 'string')
    throw new Error(body?.error?.message ?? `login answered ${res.status}`);
  sessionStorage.setItem(TOKEN_KEY, body.token);
}

/**
 * Reads the SSE stream at `path` and calls `onEvent(data, id, event)` for each event, until
 * `signal` aborts. Resolves when the stream ends; the caller reconnects with `lastId`.
 */
export async function readEvents(path, onEvent, signal) {
  const res = await authorizedGet(path, { signal, headers: { Accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`GET ${path}: ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let id;
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = val;
        else if (field === 'event') event = val;
        else if (field === 'data') data += (data ? '\n' : '') + val;
      }
      if (data) onEvent(JSON.parse(data), id, event);
    }
  }
}
