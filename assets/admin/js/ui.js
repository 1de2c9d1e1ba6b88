// The page's small pieces: elements by id, the status line (announced
// politely to screen readers), buttons that show they are busy and then
// their result, a confirmation before a destructive action, and icons.

export const $ = (id) => document.getElementById(id);
export const SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

// Inline icons (24×24, stroked): no font, no request.
const PATHS = {
  raise: "M12 19V5M5 12l7-7 7 7",
  pin: "M9 3h6l-1 6 4 4H6l4-4zM12 13v8",
  unpin: "M9 3h6l-1 6 4 4H6l4-4zM12 13v8M4 4l16 16",
  remove: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
  play: "M7 4l13 8-13 8z",
  pause: "M7 4h4v16H7zM13 4h4v16h-4z",
  undo: "M9 14L4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3",
};

export function icon(name) {
  const s = svg("svg", { class: "icon", viewBox: "0 0 24 24", "aria-hidden": "true" });
  s.append(svg("path", { d: PATHS[name] }));
  return s;
}

export function say(text, error, extra) {
  const m = $("message");
  m.replaceChildren(document.createTextNode(text));
  if (extra) m.append(extra);
  m.className = "message " + (error ? "error" : "ok");
}

// A pushResult ({status, message}) or a plain result, as a message; true
// when it succeeded.
export function report(what, result) {
  if (result && result.status && result.status !== "SUCCESS") {
    say(`${what}: ${result.status}${result.message ? " — " + result.message : ""}`, true);
    return false;
  }
  say(`${what}: done`, false);
  return true;
}

// Runs `work` with `button` marked busy (and, for a push, saying so), then
// says how it went. Returns what `work` returned, or null when it threw.
export async function busy(button, what, work) {
  if (button) { button.setAttribute("aria-busy", "true"); button.disabled = true; }
  say(`${what}…`, false);
  try {
    const result = await work();
    report(what, result);
    return result;
  } catch (e) {
    say(`${what}: ${e.message}`, true);
    return null;
  } finally {
    if (button) { button.removeAttribute("aria-busy"); button.disabled = false; }
  }
}

// A destructive button asks once: the first press turns it into a
// confirmation for a few seconds, the second acts.
export function confirmable(button, question, act) {
  let armed = null;
  const label = button.innerHTML;
  button.addEventListener("click", () => {
    if (armed) {
      clearTimeout(armed);
      armed = null;
      button.classList.remove("confirm");
      button.innerHTML = label;
      act();
      return;
    }
    button.classList.add("confirm");
    button.textContent = question;
    armed = setTimeout(() => {
      armed = null;
      button.classList.remove("confirm");
      button.innerHTML = label;
    }, 4000);
  });
}

export function button(label, iconName, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  if (iconName) b.append(icon(iconName));
  b.append(document.createTextNode(label));
  if (onclick) b.addEventListener("click", onclick);
  return b;
}
