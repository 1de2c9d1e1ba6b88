// The geometry of a gesture on the live screen, as the kiosk's scene does
// it: one finger moves a widget; two fingers turn and scale it about their
// midpoint while the midpoint carries it along. Everything is in the
// kiosk's window pixels.

// A widget's centre, angle (degrees, clockwise) and width, from its corners.
export function frameOf(w) {
  const [tl, tr, br, bl] = w.corners;
  return {
    x: (tl[0] + tr[0] + br[0] + bl[0]) / 4,
    y: (tl[1] + tr[1] + br[1] + bl[1]) / 4,
    rotation: Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * 180 / Math.PI,
    width: Math.hypot(tr[0] - tl[0], tr[1] - tl[1]),
  };
}

// The similarity that takes the fingers' start points to where they are
// now: {from, to} (the midpoints), the turn in radians and the scale. One
// finger only moves.
export function similarity(starts, nows) {
  const mid = (ps) => [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length];
  const from = mid(starts);
  const to = mid(nows);
  if (starts.length < 2) return { from, to, angle: 0, scale: 1 };
  const [a0, b0] = starts;
  const [a1, b1] = nows;
  const d0 = [b0[0] - a0[0], b0[1] - a0[1]];
  const d1 = [b1[0] - a1[0], b1[1] - a1[1]];
  const len0 = Math.hypot(...d0);
  const len1 = Math.hypot(...d1);
  if (len0 < 1 || len1 < 1) return { from, to, angle: 0, scale: 1 };
  return {
    from,
    to,
    angle: Math.atan2(d1[1], d1[0]) - Math.atan2(d0[1], d0[0]),
    scale: len1 / len0,
  };
}

// Composes two similarities: `first`, then `then`.
export function compose(first, then) {
  const p = apply(then, first.to);
  return { from: first.from, to: p, angle: first.angle + then.angle, scale: first.scale * then.scale };
}

// Where the similarity `t` takes the point `p`.
export function apply(t, p) {
  const dx = p[0] - t.from[0];
  const dy = p[1] - t.from[1];
  const c = Math.cos(t.angle) * t.scale;
  const s = Math.sin(t.angle) * t.scale;
  return [t.to[0] + c * dx - s * dy, t.to[1] + s * dx + c * dy];
}

// The frame a widget comes to under `t`, as `place` takes it.
export function placed(frame, t) {
  const [x, y] = apply(t, [frame.x, frame.y]);
  return {
    x, y,
    rotation: frame.rotation + t.angle * 180 / Math.PI,
    width: frame.width * t.scale,
  };
}

// `t` as an SVG transform for a drawing `k` window pixels per unit.
export function svgTransform(t, k) {
  const deg = t.angle * 180 / Math.PI;
  return `translate(${t.to[0] / k} ${t.to[1] / k}) rotate(${deg}) scale(${t.scale}) translate(${-t.from[0] / k} ${-t.from[1] / k})`;
}

// A keyboard step: arrows move (Shift: further), Alt+Left/Right turn by 5°,
// Alt+Up/Down scale by 10 %. `null` for any other key.
export function keyStep(key, shift, alt, centre) {
  const far = shift ? 50 : 10;
  const still = { from: centre, to: centre, angle: 0, scale: 1 };
  const moved = (dx, dy) => ({ ...still, to: [centre[0] + dx, centre[1] + dy] });
  if (alt) {
    if (key === "ArrowLeft") return { ...still, angle: -5 * Math.PI / 180 };
    if (key === "ArrowRight") return { ...still, angle: 5 * Math.PI / 180 };
    if (key === "ArrowUp") return { ...still, scale: 1.1 };
    if (key === "ArrowDown") return { ...still, scale: 1 / 1.1 };
    return null;
  }
  if (key === "ArrowLeft") return moved(-far, 0);
  if (key === "ArrowRight") return moved(far, 0);
  if (key === "ArrowUp") return moved(0, -far);
  if (key === "ArrowDown") return moved(0, far);
  if (key === "+" || key === "=") return { ...still, scale: 1.1 };
  if (key === "-") return { ...still, scale: 1 / 1.1 };
  return null;
}
