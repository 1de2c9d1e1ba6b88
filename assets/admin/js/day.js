// The store's day: today's schedule as bands (and as a list for screen
// readers), and a preview of each layout, drawn offscreen by the kiosk.

import { $, svg } from "./ui.js";
import { rpc } from "./api.js";

export function drawTimeline(day) {
  const chart = $("timeline");
  const list = $("timeline-list");
  chart.replaceChildren();
  list.replaceChildren();
  if (!day || !day.spans || !day.spans.length) return;
  const start = Date.parse(day.spans[0].from);
  const end = Date.parse(day.spans[day.spans.length - 1].to);
  const width = 720, span = Math.max(1, end - start);
  chart.setAttribute("viewBox", `0 0 ${width} 46`);
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

// Each layout once per revision (a preview loads content of its own), one
// after the other.
let previewsOf = null;
export async function drawPreviews(revision, showing) {
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
    img.alt = `The ${label} layout`;
    img.dataset.layout = label;
    const caption = document.createElement("figcaption");
    caption.textContent = label + (name === showing ? " (on screen)" : "");
    figure.append(img, caption);
    box.append(figure);
    try {
      const p = await rpc("preview", name === null ? { max_width: 320 } : { layout: name, max_width: 320 });
      if (p.png_base64) img.src = `data:image/png;base64,${p.png_base64}`;
      else caption.textContent += ` — ${p.message || "no preview"}`;
    } catch (e) {
      caption.textContent += ` — ${e.message}`;
    }
  }
}
