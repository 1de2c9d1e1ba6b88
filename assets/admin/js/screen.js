// The live screen: its picture, refreshed about once a second, and an
// outline per widget that fingers, the mouse and the keyboard move, turn
// and scale. On release the widget is placed there (`place`).

import { $, svg } from "./ui.js";
import { frameOf, similarity, compose, placed, svgTransform, keyStep } from "./gesture.js";

let screenSize = { width: 1, height: 1 };
let widgets = [];
let drawnFactor = 0;
let screenTimer = null;
let screenBusy = false;
let onPlace = async () => {};
// The gesture under way: {name, g, frame, mode, pointers: Map(id → {start, now}), base}.
let gesture = null;
// Keyboard steps waiting to be placed, by widget.
const pending = new Map();

export function init(place) {
  onPlace = place;
  $("screen").addEventListener("load", redrawIfScaled);
  window.addEventListener("resize", redrawIfScaled);
  const layer = $("outlines");
  layer.addEventListener("pointerdown", down);
  layer.addEventListener("pointermove", move);
  for (const type of ["pointerup", "pointercancel"]) layer.addEventListener(type, up);
  layer.addEventListener("keydown", key);
}

export function busy() {
  return gesture !== null || pending.size > 0;
}

export function show(list, size) {
  widgets = list;
  screenSize = size;
  if (!busy()) draw();
}

// About once a second while the page is visible; one request at a time.
export function refresh(loggedIn) {
  clearTimeout(screenTimer);
  screenTimer = null;
  if (!loggedIn() || screenBusy || document.visibilityState !== "visible") return;
  screenBusy = true;
  const next = new Image();
  next.onload = () => {
    screenBusy = false;
    $("screen").src = next.src;
    screenTimer = setTimeout(() => refresh(loggedIn), 1000);
  };
  next.onerror = () => {
    screenBusy = false;
    screenTimer = setTimeout(() => refresh(loggedIn), 2000);
  };
  next.src = "/api/screen.png?t=" + Date.now();
}

// Window pixels per picture pixel.
function factor() {
  const img = $("screen");
  return img.clientWidth ? screenSize.width / img.clientWidth : 1;
}

function redrawIfScaled() {
  if (!busy() && factor() !== drawnFactor) draw();
}

function draw() {
  const layer = $("outlines");
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.name : null;
  layer.replaceChildren();
  const k = factor();
  drawnFactor = k;
  // Back to front, so the front-most outline is on top, as on screen.
  for (const w of [...widgets].reverse()) {
    const pinned = w.gestures && w.gestures.pinned;
    const g = svg("g", {
      class: "outline", "data-name": w.name, tabindex: "0", role: "button",
      "aria-label": pinned ? `${w.name}, pinned`
        : `${w.name}: arrow keys move it, Shift moves further, Alt with arrows turns and resizes it`,
    });
    const points = w.corners.map(([x, y]) => `${x / k},${y / k}`).join(" ");
    const poly = svg("polygon", { points, class: pinned ? "pinned" : "" });
    poly.dataset.name = w.name;
    g.append(poly);
    const [tl, tr, br] = w.corners;
    const label = svg("text", { x: tl[0] / k + 4, y: tl[1] / k + 14 });
    label.textContent = w.name;
    g.append(label);
    if (!pinned) {
      // For a mouse: the turn handle above the top edge's middle, the size
      // handle on the bottom-right corner.
      const f = frameOf(w);
      const a = (f.rotation - 90) * Math.PI / 180;
      const top = [(tl[0] + tr[0]) / 2 / k, (tl[1] + tr[1]) / 2 / k];
      g.append(svg("circle", { class: "rotate", r: 7, cx: top[0] + 18 * Math.cos(a), cy: top[1] + 18 * Math.sin(a) }));
      g.append(svg("rect", { class: "scale", x: br[0] / k - 6, y: br[1] / k - 6, width: 12, height: 12 }));
    }
    layer.append(g);
    if (w.name === focused) g.focus();
  }
}

// Where a pointer is, in window pixels.
function at(ev) {
  const box = $("outlines").getBoundingClientRect();
  const k = factor();
  return [(ev.clientX - box.left) * k, (ev.clientY - box.top) * k];
}

function widgetOf(target) {
  const g = target.closest && target.closest("g.outline");
  if (!g) return null;
  const w = widgets.find((x) => x.name === g.dataset.name);
  if (!w || (w.gestures && w.gestures.pinned)) return null;
  return { w, g };
}

// The gesture's transform so far: what earlier fingers did, then what the
// fingers down now do.
function current() {
  const starts = [];
  const nows = [];
  for (const p of gesture.pointers.values()) { starts.push(p.start); nows.push(p.now); }
  const f = gesture.frame;
  const c = [f.x, f.y];
  let step;
  if (gesture.mode === "rotate") {
    const a0 = Math.atan2(starts[0][1] - c[1], starts[0][0] - c[0]);
    const a1 = Math.atan2(nows[0][1] - c[1], nows[0][0] - c[0]);
    step = { from: c, to: c, angle: a1 - a0, scale: 1 };
  } else if (gesture.mode === "scale") {
    const d0 = Math.hypot(starts[0][0] - c[0], starts[0][1] - c[1]) || 1;
    const d1 = Math.hypot(nows[0][0] - c[0], nows[0][1] - c[1]);
    step = { from: c, to: c, angle: 0, scale: d1 / d0 };
  } else {
    step = similarity(starts, nows);
  }
  return gesture.base ? compose(gesture.base, step) : step;
}

// A finger came or went: what the fingers did so far becomes the base, and
// the ones still down start again from where they are.
function rebase() {
  if (gesture.pointers.size) gesture.base = current();
  for (const p of gesture.pointers.values()) p.start = p.now;
}

function down(ev) {
  if (gesture) {
    // A second finger joins a finger gesture, wherever it lands.
    if (gesture.mode !== "fingers" || gesture.pointers.size >= 2) return;
    ev.preventDefault();
    rebase();
    gesture.pointers.set(ev.pointerId, { start: at(ev), now: at(ev) });
    $("outlines").setPointerCapture(ev.pointerId);
    return;
  }
  const hit = widgetOf(ev.target);
  if (!hit) return;
  ev.preventDefault();
  const mode = ev.target.classList.contains("rotate") ? "rotate"
    : ev.target.classList.contains("scale") ? "scale" : "fingers";
  const p = at(ev);
  gesture = { name: hit.w.name, g: hit.g, frame: frameOf(hit.w), mode, pointers: new Map([[ev.pointerId, { start: p, now: p }]]), base: null };
  hit.g.classList.add("active");
  $("outlines").setPointerCapture(ev.pointerId);
}

function move(ev) {
  const p = gesture && gesture.pointers.get(ev.pointerId);
  if (!p) return;
  p.now = at(ev);
  gesture.g.setAttribute("transform", svgTransform(current(), factor()));
}

async function up(ev) {
  if (!gesture || !gesture.pointers.has(ev.pointerId)) return;
  rebase();
  gesture.pointers.delete(ev.pointerId);
  if (gesture.pointers.size) return;
  const done = gesture;
  gesture = null;
  done.g.classList.remove("active");
  const t = done.base;
  const still = !t || (Math.hypot(t.to[0] - t.from[0], t.to[1] - t.from[1]) < 0.5 && Math.abs(t.angle) < 1e-3 && Math.abs(t.scale - 1) < 1e-3);
  if (still) return draw();
  await onPlace(done.name, placed(done.frame, t));
}

// Arrow keys on a focused outline; the steps are placed once the keys rest.
function key(ev) {
  const g = ev.target.closest && ev.target.closest("g.outline");
  const w = g && widgets.find((x) => x.name === g.dataset.name);
  if (!w || (w.gestures && w.gestures.pinned)) return;
  const frame = frameOf(w);
  const entry = pending.get(w.name) || { t: null, timer: null, frame };
  const centre = entry.t ? [entry.t.to[0], entry.t.to[1]] : [frame.x, frame.y];
  const step = keyStep(ev.key, ev.shiftKey, ev.altKey, centre);
  if (!step) return;
  ev.preventDefault();
  entry.t = entry.t ? compose(entry.t, step) : step;
  g.setAttribute("transform", svgTransform(entry.t, factor()));
  clearTimeout(entry.timer);
  entry.timer = setTimeout(async () => {
    pending.delete(w.name);
    await onPlace(w.name, placed(entry.frame, entry.t));
  }, 400);
  pending.set(w.name, entry);
}
