// What the page lists: the widgets on screen as cards with their actions,
// the touch counters, and proof of play, each a table that becomes cards on
// a narrow screen.

import { $, svg, button } from "./ui.js";

// `actions` carries out a widget's action: (kind, widget, button) → promise.
export function drawWidgets(widgets, actions) {
  const list = $("widgets");
  list.replaceChildren();
  if (!widgets.length) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = "Nothing on screen.";
    list.append(li);
    return;
  }
  for (const w of widgets) {
    const li = document.createElement("li");
    li.dataset.name = w.name;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = w.name;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = `${w.kind} · ${w.state}${w.cached ? " · offline copy" : ""}`;
    const buttons = document.createElement("span");
    buttons.className = "buttons";
    const labelled = (b, what) => { b.setAttribute("aria-label", `${what} ${w.name}`); return b; };
    const raise = labelled(button("Raise", "raise"), "Raise");
    raise.addEventListener("click", () => actions("raise", w, raise));
    buttons.append(raise);
    if (w.kind === "video") {
      const playing = w.state === "playing";
      const b = labelled(button(playing ? "Pause" : "Play", playing ? "pause" : "play"), playing ? "Pause" : "Play");
      b.addEventListener("click", () => actions(playing ? "pause" : "play", w, b));
      buttons.append(b);
    }
    const pinned = w.gestures && w.gestures.pinned;
    const pin = labelled(button(pinned ? "Unpin" : "Pin", pinned ? "unpin" : "pin"), pinned ? "Unpin" : "Pin");
    pin.addEventListener("click", () => actions(pinned ? "unpin" : "pin", w, pin));
    buttons.append(pin);
    const remove = labelled(button("Remove", "remove"), "Remove");
    remove.classList.add("danger");
    actions("arm-remove", w, remove);
    buttons.append(remove);
    li.append(name, meta, buttons);
    list.append(li);
  }
}

// A table row whose cells carry their column's name (for the card view).
function row(body, name, cells) {
  const tr = body.insertRow();
  if (name !== null) tr.dataset.name = name;
  const heads = [...body.parentElement.tHead.rows[0].cells].map((c) => c.textContent);
  cells.forEach(([text, cls], i) => {
    const td = tr.insertCell();
    td.textContent = text;
    td.dataset.label = heads[i] || "";
    if (cls) td.className = cls;
  });
}

export function drawStats(report) {
  const body = $("stats").tBodies[0];
  body.replaceChildren();
  for (const r of [...report.widgets, { name: "total", ...report.total }]) {
    row(body, r.name, [
      [r.name, null],
      ...["touches", "taps", "drags", "pinches", "video_plays", "video_views"].map((k) => [String(r[k]), "n"]),
      [r.held_s.toFixed(1), "n"],
    ]);
  }
  // One bar per widget: its touches.
  const chart = $("stats-chart");
  chart.replaceChildren();
  const most = Math.max(1, ...report.widgets.map((w) => w.touches));
  const barH = 18;
  const height = Math.max(barH, report.widgets.length * (barH + 4));
  chart.setAttribute("viewBox", `0 0 360 ${height}`);
  chart.setAttribute("width", 360);
  chart.setAttribute("height", height);
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

export function drawPlays(rows) {
  const body = $("plays").tBodies[0];
  body.replaceChildren();
  // The newest hours first, at most 200 rows.
  for (const r of [...rows].reverse().slice(0, 200)) {
    row(body, null, [
      [r.hour.slice(0, 16).replace("T", " "), null],
      [r.item, "item"],
      [String(r.shows), "n"],
      [r.seconds.toFixed(0), "n"],
      [`${Math.round(r.max_fraction * 100)} %`, "n"],
      [String(r.plays_to_end), "n"],
    ]);
  }
  // Seconds on screen per hour, over the items: the last 24 hours counted.
  const hours = new Map();
  for (const r of rows) hours.set(r.hour, (hours.get(r.hour) || 0) + r.seconds);
  const last = [...hours.entries()].slice(-24);
  const chart = $("plays-chart");
  chart.replaceChildren();
  const most = Math.max(1, ...last.map(([, s]) => s));
  const barW = 14, h = 120;
  const width = Math.max(barW, last.length * (barW + 4));
  chart.setAttribute("viewBox", `0 0 ${width} ${h + 16}`);
  chart.setAttribute("width", width);
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
