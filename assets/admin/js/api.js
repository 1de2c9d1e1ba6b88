// Talking to the kiosk: every action is a JSON-RPC request to /api/rpc, the
// same request and the same answer as on the kiosk's socket; the session
// and its CSRF token; and whether the kiosk answers at all.

let csrf = null;
let nextId = 1;
const listeners = { loggedOut: () => {}, link: () => {} };

export function on(name, f) { listeners[name] = f; }
export function token() { return csrf; }
export function setToken(t) { csrf = t; }

// The link's state for the header: live, reconnecting or gone.
export function link(state) { listeners.link(state); }

export async function rpc(method, params) {
  let r;
  try {
    r = await fetch("/api/rpc", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf || "" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params || {} }),
    });
  } catch (e) {
    link("gone");
    throw new Error("the kiosk does not answer");
  }
  if (r.status === 401) { listeners.loggedOut(); throw new Error("log in again"); }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

export async function session() {
  const r = await fetch("/api/session");
  return { ok: r.ok, status: r.status, body: await r.json(), statusText: r.statusText };
}

export async function login(password) {
  const r = await fetch("/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password }),
  });
  return { ok: r.ok, body: await r.json(), statusText: r.statusText };
}

export async function logout() {
  await fetch("/api/logout", { method: "POST", headers: { "X-CSRF-Token": csrf || "" } });
  csrf = null;
}

export async function upload(file, widget) {
  const q = new URLSearchParams({ name: file.name, widget });
  const r = await fetch("/api/upload?" + q, {
    method: "PUT", headers: { "X-CSRF-Token": csrf || "" }, body: file,
  });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  if (body.reply.error) throw new Error(body.reply.error.message);
  return body.reply.result;
}
