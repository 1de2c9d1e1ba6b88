// vitrine's admin page. Every action is a JSON-RPC request to /api/rpc, the
// same request and the same answer as on the kiosk's socket. No libraries.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
let csrf = null;
let nextId = 1;
let screenSize = { width: 1, height: 1 };
let widgets = [];
let events = null;
let dragging = null;
let refreshTimer = null;
let drawnFactor = 0;
let screenTimer = null;
let screenBusy = false;

// ---- talking to the kiosk ----

async function rpc(method, params) {
  const r = await fetch("/api/rpc", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf || "" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params || {} }),
  });
  if (r.status === 401) { relogin(); throw new Error("log in again"); }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

// A pushResult ({status, code, message}) or a plain result, as a message.
function report(what, result) {
  if (result && result.status && result.status !== "SUCCESS") {
    say(`${what}: ${result.status}${result.message ? " — " + result.message : ""}`, true);
  } else {
    say(`${what}: done`, false);
  }
  scheduleRefresh();
}

function say(text, error) {
  const m = $("message");
  m.textContent = text;
  m.className = error ? "error" : "ok";
}

async function act(what, method, params) {
  try {
    report(what, await rpc(method, params));
  } catch (e) {
    say(`${what}: ${e.message}`, true);
  }
}

// ---- login ----

async function start() {
  let r;
  let body;
  try {
    r = await fetch("/api/session");
    body = await r.json();
  } catch (e) {
    showLogin();
    $("login-error").textContent = `the kiosk does not answer (${e.message}); trying again`;
    setTimeout(start, 3000);
    return;
  }
  if (r.ok) return enter(body.csrf);
  if (r.status === 401 && body.password_required === false) return login("");
  showLogin();
  if (r.status !== 401) {
    // Busy (503) and the like: not a reason to spend a login attempt.
    $("login-error").textContent = `${body.error || r.statusText}; trying again`;
    setTimeout(start, 3000);
  }
}

async function login(password) {
  const r = await fetch("/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password }),
  });
  const body = await r.json();
  if (!r.ok) {
    showLogin();
    $("login-error").textContent = body.error || r.statusText;
    return;
  }
  enter(body.csrf);
}

// The session is over: without a password the page logs in again by
// itself; with one it asks.
function relogin() {
  showLogin();
  start();
}

function showLogin() {
  csrf = null;
  if (events) { events.close(); events = null; }
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
}

function enter(token) {
  csrf = token;
  $("login").hidden = true;
  $("login-error").textContent = "";
  $("app").hidden = false;
  $("logout").hidden = false;
  listen();
  refresh();
  refreshScreen();
}

// ---- live screen ----

// About once a second while the page is visible; the kiosk captures and
// encodes once per interval for every page watching.
// One loop at most: a pending refresh is cancelled before another is
// planned, and none starts while a picture is on its way.
function refreshScreen() {
  clearTimeout(screenTimer);
  screenTimer = null;
  if (!csrf || screenBusy || document.visibilityState !== "visible") return;
  screenBusy = true;
  const next = new Image();
  next.onload = () => {
    screenBusy = false;
    $("screen").src = next.src;
    screenTimer = setTimeout(refreshScreen, 1000);
  };
  next.onerror = () => {
    screenBusy = false;
    screenTimer = setTimeout(refreshScreen, 2000);
  };
  next.src = "/api/screen.png?t=" + Date.now();
}

// The outlines follow the picture's size on the page: the first picture,
// and any resize.
function redrawIfScaled() {
  if (!dragging && factor() !== drawnFactor) drawOutlines();
}

// A hidden page asks for nothing: no pictures, no event stream.
document.addEventListener("visibilitychange", () => {
  if (!csrf) return;
  if (document.visibilityState === "visible") {
    listen();
    refresh();
    refreshScreen();
  } else if (events) {
    events.close();
    events = null;
  }
});

// ---- live updates ----

function listen() {
  if (events) events.close();
  events = new EventSource("/api/events");
  events.onmessage = (m) => {
    let p;
    try { p = JSON.parse(m.data).params; } catch (_) { return; }
    const li = document.createElement("li");
    li.textContent = `${p.type} ${p.name || p.gesture || p.state || p.cause || ""}`.trim()
      + ` ${JSON.stringify(p)}`;
    const list = $("events");
    list.prepend(li);
    while (list.children.length > 30) list.lastChild.remove();
    scheduleRefresh();
  };
  events.addEventListener("expired", relogin);
  // A refused stream (too many pages watching) is not retried by the
  // browser: check the session, then try again a little later.
  events.onerror = async () => {
    if (!events || events.readyState !== EventSource.CLOSED) return;
    events = null;
    const r = await fetch("/api/session").catch(() => null);
    if (r && r.status === 401) return relogin();
    say("live updates paused (the kiosk is busy); retrying", true);
    setTimeout(() => { if (csrf && !events && document.visibilityState === "visible") listen(); }, 5000);
  };
}

// At most one refresh per 250 ms, however many events arrive.
function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    refresh();
  }, 250);
}

// The screen's power, as ping reports it: the button offers the other one.
let screenOn = true;
function drawPower(display) {
  if (!display) return;
  screenOn = display.power !== "off";
  const b = $("power");
  b.textContent = screenOn ? "Screen off" : "Screen on";
  b.setAttribute("aria-pressed", String(!screenOn));
  b.title = `switched by ${display.method}`;
}

async function refresh() {
  try {
    const content = await rpc("listContent");
    screenSize = content.screen;
    widgets = content.widgets;
    $("status").textContent = `${widgets.length} widgets · revision ${content.revision}`;
    drawWidgets();
    if (!dragging) drawOutlines();
    const report = await rpc("stats");
    drawStats(report);
    drawPlays(report.plays || []);
    drawPower((await rpc("ping")).display);
    const day = await rpc("timeline");
    drawTimeline(day);
    drawPreviews(content.revision, day.layout);
  } catch (e) {
    say(e.message, true);
  }
}

// ---- widgets ----

function button(label, onclick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.onclick = onclick;
  return b;
}

function drawWidgets() {
  const body = $("widgets").tBodies[0];
  body.replaceChildren();
  for (const w of widgets) {
    const tr = body.insertRow();
    tr.dataset.name = w.name;
    for (const text of [w.name, w.kind, w.state]) tr.insertCell().textContent = text;
    const cell = tr.insertCell();
    cell.append(button("Raise", () => act(`raise ${w.name}`, "raise", { name: w.name })));
    if (w.kind === "video") {
      const playing = w.state === "playing";
      cell.append(button(playing ? "Pause" : "Play",
        () => act(`${playing ? "pause" : "play"} ${w.name}`, playing ? "pause" : "play", { name: w.name })));
    }
    const pinned = w.gestures && w.gestures.pinned;
    cell.append(button(pinned ? "Unpin" : "Pin",
      () => act(`${pinned ? "unpin" : "pin"} ${w.name}`, "place", { name: w.name, pinned: !pinned })));
    cell.append(button("Remove", () => act(`remove ${w.name}`, "remove", { name: w.name })));
  }
}

// Window pixels per picture pixel.
function factor() {
  const img = $("screen");
  return img.clientWidth ? screenSize.width / img.clientWidth : 1;
}

// A widget's centre, angle (degrees, clockwise) and width from its corners.
function frameOf(w) {
  const [tl, tr, br, bl] = w.corners;
  return {
    x: (tl[0] + tr[0] + br[0] + bl[0]) / 4,
    y: (tl[1] + tr[1] + br[1] + bl[1]) / 4,
    rotation: Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * 180 / Math.PI,
    width: Math.hypot(tr[0] - tl[0], tr[1] - tl[1]),
  };
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function drawOutlines() {
  const layer = $("outlines");
  layer.replaceChildren();
  const k = factor();
  drawnFactor = k;
  // Back to front, so the front-most outline is on top, as on screen.
  for (const w of [...widgets].reverse()) {
    const g = svg("g", { class: "outline", "data-name": w.name });
    const pinned = w.gestures && w.gestures.pinned;
    const points = w.corners.map(([x, y]) => `${x / k},${y / k}`).join(" ");
    const poly = svg("polygon", { points, class: pinned ? "pinned" : "" });
    poly.dataset.name = w.name;
    g.append(poly);
    const [tl, tr, br] = w.corners;
    const label = svg("text", { x: tl[0] / k + 4, y: tl[1] / k + 14 });
    label.textContent = w.name;
    g.append(label);
    if (!pinned) {
      // The turn handle sits above the top edge's middle; the size handle
      // on the bottom-right corner.
      const f = frameOf(w);
      const a = (f.rotation - 90) * Math.PI / 180;
      const top = [(tl[0] + tr[0]) / 2 / k, (tl[1] + tr[1]) / 2 / k];
      g.append(svg("circle", {
        class: "rotate", r: 7, cx: top[0] + 18 * Math.cos(a), cy: top[1] + 18 * Math.sin(a),
      }));
      g.append(svg("rect", { class: "scale", x: br[0] / k - 6, y: br[1] / k - 6, width: 12, height: 12 }));
      for (const el of g.children) {
        el.addEventListener("pointerdown", (e) => beginDrag(e, w, g));
      }
    }
    layer.append(g);
  }
}

// A drag of an outline (move), its round handle (turn) or square handle
// (resize); on release the widget is placed there.
function beginDrag(e, w, g) {
  e.preventDefault();
  // One drag at a time: a second finger on another outline waits.
  if (dragging) return;
  const layer = $("outlines");
  const box = layer.getBoundingClientRect();
  const k = factor();
  const f = frameOf(w);
  const at = (ev) => [(ev.clientX - box.left) * k, (ev.clientY - box.top) * k];
  const mode = e.target.classList.contains("rotate") ? "rotate"
    : e.target.classList.contains("scale") ? "scale" : "move";
  const start = at(e);
  const startAngle = Math.atan2(start[1] - f.y, start[0] - f.x);
  const startDist = Math.hypot(start[0] - f.x, start[1] - f.y) || 1;
  const d = { name: w.name, place: null };
  dragging = d;
  e.target.setPointerCapture(e.pointerId);
  const move = (ev) => {
    const p = at(ev);
    let place;
    let transform;
    if (mode === "move") {
      const dx = p[0] - start[0];
      const dy = p[1] - start[1];
      place = { x: f.x + dx, y: f.y + dy };
      transform = `translate(${dx / k} ${dy / k})`;
    } else if (mode === "rotate") {
      const turn = (Math.atan2(p[1] - f.y, p[0] - f.x) - startAngle) * 180 / Math.PI;
      place = { rotation: f.rotation + turn };
      transform = `rotate(${turn} ${f.x / k} ${f.y / k})`;
    } else {
      const s = Math.hypot(p[0] - f.x, p[1] - f.y) / startDist;
      place = { width: f.width * s };
      transform = `translate(${f.x / k} ${f.y / k}) scale(${s}) translate(${-f.x / k} ${-f.y / k})`;
    }
    d.place = place;
    g.setAttribute("transform", transform);
  };
  const end = async () => {
    e.target.removeEventListener("pointermove", move);
    e.target.removeEventListener("pointerup", end);
    e.target.removeEventListener("pointercancel", end);
    e.target.removeEventListener("lostpointercapture", end);
    if (dragging !== d) return;
    dragging = null;
    const place = d.place;
    if (place) {
      await act(`place ${w.name}`, "place", { name: w.name, ...place });
    } else {
      drawOutlines();
    }
  };
  e.target.addEventListener("pointermove", move);
  e.target.addEventListener("pointerup", end);
  e.target.addEventListener("pointercancel", end);
  e.target.addEventListener("lostpointercapture", end);
}

// ---- stats ----

function drawStats(report) {
  const body = $("stats").tBodies[0];
  body.replaceChildren();
  const rows = [...report.widgets, { name: "total", ...report.total }];
  for (const r of rows) {
    const tr = body.insertRow();
    tr.dataset.name = r.name;
    tr.insertCell().textContent = r.name;
    for (const k of ["touches", "taps", "drags", "pinches", "video_plays", "video_views"]) {
      const c = tr.insertCell();
      c.className = "n";
      c.textContent = r[k];
    }
    const held = tr.insertCell();
    held.className = "n";
    held.textContent = r.held_s.toFixed(1);
  }
  // One bar per widget: its touches.
  const chart = $("stats-chart");
  chart.replaceChildren();
  const most = Math.max(1, ...report.widgets.map((w) => w.touches));
  const barH = 18;
  chart.setAttribute("width", 360);
  chart.setAttribute("height", Math.max(barH, report.widgets.length * (barH + 4)));
  report.widgets.forEach((w, i) => {
    const y = i * (barH + 4);
    const label = svg("text", { x: 0, y: y + 13 });
    label.textContent = w.name;
    const bar = svg("rect", { x: 110, y, height: barH, width: Math.max(1, 200 * w.touches / most) });
    bar.dataset.name = w.name;
    const n = svg("text", { x: 115 + 200 * w.touches / most, y: y + 13 });
    n.textContent = w.touches;
    chart.append(label, bar, n);
  });
}

// ---- the day's schedule ----

// One band across the day per span: its layout's name, and a dark stripe
// where the screen is off. The layout on screen now is marked.
function drawTimeline(day) {
  const chart = $("timeline");
  const list = $("timeline-list");
  chart.replaceChildren();
  list.replaceChildren();
  if (!day || !day.spans || !day.spans.length) return;
  const start = Date.parse(day.spans[0].from);
  const end = Date.parse(day.spans[day.spans.length - 1].to);
  const width = 720, height = 46, span = Math.max(1, end - start);
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.setAttribute("width", width);
  chart.setAttribute("height", height);
  const now = Date.now();
  day.spans.forEach((s, i) => {
    const from = Date.parse(s.from), to = Date.parse(s.to);
    const x = (from - start) / span * width, w = Math.max(1, (to - from) / span * width);
    const name = s.layout === null ? "default" : s.layout;
    const active = now >= from && now < to;
    const band = svg("rect", { x, y: 0, width: w, height: 30, class: `span n${i % 4}${active ? " active" : ""}` });
    band.dataset.layout = name;
    chart.append(band);
    if (s.display === "off") chart.append(svg("rect", { x, y: 30, width: w, height: 8, class: "off" }));
    const label = svg("text", { x: x + 4, y: 19 });
    label.textContent = w > 60 ? name : "";
    chart.append(label);
    const li = document.createElement("li");
    // The day's end is the next day's midnight: 24:00.
    const hhmm = (t) => (t.slice(0, 10) !== day.date ? "24:00" : t.slice(11, 16));
    li.textContent = `${hhmm(s.from)}–${hhmm(s.to)} ${name}${s.display === "off" ? " · screen off" : ""}${active ? " (now)" : ""}`;
    if (active) li.className = "active";
    list.append(li);
  });
  $("timeline-caption").textContent = `${day.date} (${day.timezone}): on screen now, ${day.layout === null ? "the default layout" : day.layout}.`;
}

// Each layout of the desired state, drawn offscreen by the kiosk: once per
// revision (a preview loads content of its own), one after the other.
let previewsOf = null;
async function drawPreviews(revision, showing) {
  if (previewsOf === revision) return;
  previewsOf = revision;
  const doc = await rpc("getState");
  const names = [null, ...Object.keys(doc.state.layouts || {})];
  const box = $("previews");
  box.replaceChildren();
  for (const name of names) {
    const figure = document.createElement("figure");
    const img = document.createElement("img");
    const label = name === null ? "default" : name;
    img.alt = `the ${label} layout`;
    img.dataset.layout = label;
    const caption = document.createElement("figcaption");
    caption.textContent = label + (name === showing ? " (on screen)" : "");
    figure.append(img, caption);
    box.append(figure);
    try {
      const p = await rpc("preview", name === null ? { max_width: 240 } : { layout: name, max_width: 240 });
      if (p.png_base64) img.src = `data:image/png;base64,${p.png_base64}`;
      else caption.textContent += ` — ${p.message || "no preview"}`;
    } catch (e) {
      caption.textContent += ` — ${e.message}`;
    }
  }
}

// ---- proof of play ----

function drawPlays(rows) {
  const body = $("plays").tBodies[0];
  body.replaceChildren();
  // The newest hours first, at most a day of rows in the table.
  for (const r of [...rows].reverse().slice(0, 200)) {
    const tr = body.insertRow();
    tr.insertCell().textContent = r.hour.slice(0, 16).replace("T", " ");
    tr.insertCell().textContent = r.item;
    for (const [k, f] of [["shows", (v) => v], ["seconds", (v) => v.toFixed(0)],
      ["max_fraction", (v) => `${Math.round(v * 100)} %`], ["plays_to_end", (v) => v]]) {
      const c = tr.insertCell();
      c.className = "n";
      c.textContent = f(r[k]);
    }
  }
  // Seconds on screen per hour, summed over items: the last 24 hours counted.
  const hours = new Map();
  for (const r of rows) hours.set(r.hour, (hours.get(r.hour) || 0) + r.seconds);
  const last = [...hours.entries()].slice(-24);
  const chart = $("plays-chart");
  chart.replaceChildren();
  const most = Math.max(1, ...last.map(([, s]) => s));
  const barW = 14, h = 120;
  chart.setAttribute("width", Math.max(barW, last.length * (barW + 4)));
  chart.setAttribute("height", h + 16);
  last.forEach(([hour, s], i) => {
    const bh = Math.max(1, (h - 4) * s / most);
    const bar = svg("rect", { x: i * (barW + 4), y: h - bh, width: barW, height: bh });
    const title = svg("title", {});
    title.textContent = `${hour}: ${Math.round(s)} s`;
    bar.append(title);
    const label = svg("text", { x: i * (barW + 4), y: h + 13 });
    label.textContent = hour.slice(11, 13);
    chart.append(bar, label);
  });
}

// ---- forms and buttons ----

function wire() {
  $("screen").addEventListener("load", redrawIfScaled);
  window.addEventListener("resize", redrawIfScaled);
  $("login-form").onsubmit = (e) => { e.preventDefault(); login($("password").value); };
  $("logout").onclick = async () => {
    await fetch("/api/logout", { method: "POST", headers: { "X-CSRF-Token": csrf || "" } });
    showLogin();
  };
  $("backdrop-on").onclick = () => act("backdrop on", "showBackdrop", {});
  $("backdrop-off").onclick = () => act("backdrop off", "hideBackdrop", {});
  $("reset").onclick = () => act("reset to home", "reset", {});
  $("power").onclick = () => {
    const power = screenOn ? "off" : "on";
    act(`screen ${power}`, "display", { power });
  };
  $("url-form").onsubmit = (e) => {
    e.preventDefault();
    say("loading…", false);
    act(`show ${$("url").value}`, "fetchUrl", { name: $("url-name").value, url: $("url").value });
  };
  $("html-form").onsubmit = (e) => {
    e.preventDefault();
    say("loading…", false);
    act(`show HTML as ${$("html-name").value}`, "postHtml", { name: $("html-name").value, data: $("html").value });
  };
  $("upload-form").onsubmit = async (e) => {
    e.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return;
    say(`uploading ${file.name}…`, false);
    const q = new URLSearchParams({ name: file.name, widget: $("upload-name").value });
    try {
      const r = await fetch("/api/upload?" + q, {
        method: "PUT", headers: { "X-CSRF-Token": csrf || "" }, body: file,
      });
      const body = await r.json();
      if (!r.ok) throw new Error(body.error || r.statusText);
      if (body.reply.error) throw new Error(body.reply.error.message);
      report(`upload ${file.name}`, body.reply.result);
    } catch (err) {
      say(`upload ${file.name}: ${err.message}`, true);
    }
  };
}

wire();
start();
