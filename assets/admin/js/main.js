// vitrine's admin page: logging in, the refresh loop and the live event
// stream, and wiring every control to the kiosk. No libraries, no build.

import { $, say, busy, confirmable, icon } from "./ui.js";
import * as api from "./api.js";
import * as screen from "./screen.js";
import { drawWidgets, drawStats, drawPlays } from "./lists.js";
import { drawTimeline, drawPreviews } from "./day.js";

let events = null;
let refreshTimer = null;
let screenOn = true;
const loggedIn = () => api.token() !== null;

// ---- the link to the kiosk, always shown ----

function showLink(state) {
  const el = $("link");
  if (el.dataset.state === state) return;
  el.dataset.state = state;
  el.textContent = { live: "live", reconnecting: "reconnecting…", gone: "kiosk gone", connecting: "connecting…" }[state] || state;
}
api.on("link", showLink);
api.on("loggedOut", () => relogin());

// ---- login ----

async function start() {
  let s;
  try {
    s = await api.session();
  } catch (e) {
    showLogin();
    showLink("gone");
    $("login-error").textContent = `the kiosk does not answer (${e.message}); trying again`;
    setTimeout(start, 3000);
    return;
  }
  if (s.ok) return enter(s.body.csrf);
  if (s.status === 401 && s.body.password_required === false) return login("");
  showLogin();
  showLink("live");
  if (s.status !== 401) {
    // Busy (503) and the like: not a reason to spend a login attempt.
    $("login-error").textContent = `${s.body.error || s.statusText}; trying again`;
    setTimeout(start, 3000);
  }
}

async function login(password) {
  const r = await api.login(password);
  if (!r.ok) {
    showLogin();
    $("login-error").textContent = r.body.error || r.statusText;
    return;
  }
  enter(r.body.csrf);
}

// The session is over: without a password the page logs in again by
// itself; with one it asks.
function relogin() {
  showLogin();
  start();
}

function showLogin() {
  api.setToken(null);
  if (events) { events.close(); events = null; }
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("password").focus();
}

function enter(token) {
  api.setToken(token);
  $("login").hidden = true;
  $("login-error").textContent = "";
  $("app").hidden = false;
  $("logout").hidden = false;
  listen();
  refresh().then(() => performance.mark("vitrine-interactive"));
  screen.refresh(loggedIn);
}

// ---- live updates ----

function listen() {
  if (events) events.close();
  events = new EventSource("/api/events");
  events.onopen = () => showLink("live");
  events.onmessage = (m) => {
    let p;
    try { p = JSON.parse(m.data).params; } catch (_) { return; }
    const li = document.createElement("li");
    li.textContent = `${p.type} ${p.name || p.gesture || p.state || p.cause || ""}`.trim() + ` ${JSON.stringify(p)}`;
    const list = $("events");
    list.prepend(li);
    while (list.children.length > 30) list.lastChild.remove();
    scheduleRefresh();
  };
  events.addEventListener("expired", relogin);
  // The browser retries a dropped stream by itself; a refused one (too many
  // pages watching) it does not: check the session, then try again.
  events.onerror = async () => {
    if (!events) return;
    if (events.readyState !== EventSource.CLOSED) {
      // The browser tries again by itself; whether anyone answers says
      // which it is.
      showLink("reconnecting");
      fetch("/api/session").catch(() => showLink("gone"));
      return;
    }
    events = null;
    const r = await fetch("/api/session").catch(() => null);
    if (!r) showLink("gone");
    else if (r.status === 401) return relogin();
    else showLink("reconnecting");
    setTimeout(() => { if (loggedIn() && !events && document.visibilityState === "visible") listen(); }, 5000);
  };
}

// At most one refresh per 250 ms, however many events arrive.
function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 250);
}

async function refresh() {
  try {
    const content = await api.rpc("listContent");
    $("status").textContent = `${content.widgets.length} widgets · revision ${content.revision}`;
    drawWidgets(content.widgets, widgetAction);
    screen.show(content.widgets, { width: content.screen.width, height: content.screen.height });
    const report = await api.rpc("stats").catch(() => null);
    if (report) { drawStats(report); drawPlays(report.plays || []); }
    drawPower((await api.rpc("ping")).display);
    const day = await api.rpc("timeline");
    drawTimeline(day);
    drawPreviews(content.revision, day.layout);
  } catch (e) {
    say(e.message, true);
  }
}

// A hidden page asks for nothing: no pictures, no event stream.
document.addEventListener("visibilitychange", () => {
  if (!loggedIn()) return;
  if (document.visibilityState === "visible") {
    listen();
    refresh();
    screen.refresh(loggedIn);
  } else if (events) {
    events.close();
    events = null;
  }
});

// ---- actions ----

async function act(button, what, method, params) {
  const result = await busy(button, what, () => api.rpc(method, params));
  scheduleRefresh();
  return result;
}

// The screen's power, as ping reports it: the button offers the other one.
function drawPower(display) {
  if (!display) return;
  screenOn = display.power !== "off";
  const b = $("power");
  b.querySelector("span").textContent = screenOn ? "Screen off" : "Screen on";
  b.setAttribute("aria-pressed", String(!screenOn));
  b.title = `switched by ${display.method}`;
}

// A widget card's buttons. Remove asks once, and can be undone while
// nothing else changed (the document from before is applied again).
function widgetAction(kind, w, button) {
  const name = w.name;
  if (kind === "arm-remove") {
    confirmable(button, "Remove?", async () => {
      const before = await api.rpc("getState").catch(() => null);
      const r = await act(button, `remove ${name}`, "remove", { name });
      if (r && r.status === "SUCCESS" && before) offerUndo(name, before);
    });
    return;
  }
  const calls = {
    raise: ["raise", { name }],
    play: ["play", { name }],
    pause: ["pause", { name }],
    pin: ["place", { name, pinned: true }],
    unpin: ["place", { name, pinned: false }],
  };
  const [method, params] = calls[kind];
  act(button, `${kind} ${name}`, method, params);
}

function offerUndo(name, before) {
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "undo";
  undo.append(icon("undo"), document.createTextNode("Undo"));
  const expires = setTimeout(() => undo.remove(), 15000);
  undo.addEventListener("click", async () => {
    clearTimeout(expires);
    const now = await api.rpc("listContent");
    if (now.revision !== before.state.revision + 1) {
      say(`undo ${name}: too late, the screen changed since`, true);
      return;
    }
    const document = { ...before, state: { ...before.state, revision: now.revision + 1 } };
    await act(undo, `undo remove ${name}`, "setState", { document });
  });
  say(`remove ${name}: done`, false, undo);
}

async function place(name, where) {
  await act(null, `place ${name}`, "place", { name, ...where });
  // The widget glides there: the outlines follow once it has arrived.
  setTimeout(scheduleRefresh, 800);
}

function wire() {
  screen.init(place);
  $("login-form").addEventListener("submit", (e) => { e.preventDefault(); login($("password").value); });
  $("logout").addEventListener("click", async () => { await api.logout(); showLogin(); });
  $("backdrop-on").addEventListener("click", (e) => act(e.currentTarget, "backdrop on", "showBackdrop", {}));
  $("backdrop-off").addEventListener("click", (e) => act(e.currentTarget, "backdrop off", "hideBackdrop", {}));
  confirmable($("reset"), "Reset the screen?", () => act($("reset"), "reset to home", "reset", {}));
  $("power").addEventListener("click", (e) => {
    const power = screenOn ? "off" : "on";
    act(e.currentTarget, `screen ${power}`, "display", { power });
  });
  $("url-form").addEventListener("submit", (e) => {
    e.preventDefault();
    act($("url-submit"), `show ${$("url").value}`, "fetchUrl", { name: $("url-name").value, url: $("url").value });
  });
  $("html-form").addEventListener("submit", (e) => {
    e.preventDefault();
    act($("html-submit"), `show HTML as ${$("html-name").value}`, "postHtml", { name: $("html-name").value, data: $("html").value });
  });
  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return;
    await busy($("upload-submit"), `upload ${file.name}`, () => api.upload(file, $("upload-name").value));
    scheduleRefresh();
  });
}

wire();
start();
