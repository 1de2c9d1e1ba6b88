#!/usr/bin/env python3
"""Cross-checks `vitrine replay` against Kivy's own Scatter on random multi-finger traces.

Kivy's `Scatter.transform_with_touch` is the specification of vitrine's
gestures. This script builds the same scene in Kivy (no window is needed: the
touches are dispatched the way Kivy's event loop does it) and in vitrine,
plays the same random trace through both and compares every widget's corners.

Usage: parity.py VITRINE_BINARY [--cases N] [--seed S]
Exit status: 0 when every case agrees, 1 otherwise.
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))

from kivy.graphics.transformation import Matrix  # noqa: E402
from kivy.input.motionevent import MotionEvent  # noqa: E402
from kivy.uix.scatter import Scatter  # noqa: E402
from kivy.uix.widget import Widget  # noqa: E402

TOLERANCE = 1e-6


class Touch(MotionEvent):
    """A touch whose positions are set directly in window pixels (Kivy y-up)."""

    def __init__(self, fid, x, y):
        super().__init__("parity", fid, {}, is_touch=True, type_id="touch")
        self.profile = ["pos"]
        self.x, self.y = self.pos = (x, y)
        self.ox, self.oy = self.px, self.py = (x, y)

    def depack(self, args):
        self.sx = self.sy = 0.0

    def move_to(self, x, y):
        self.px, self.py = self.x, self.y
        self.x, self.y = self.pos = (x, y)


def dispatch_grabbed(touch, event):
    """What Kivy's EventLoop.post_dispatch_input does for grabbed touches."""
    touch.grab_state = True
    for ref in touch.grab_list[:]:
        w = ref()
        if w is None:
            continue
        touch.grab_current = w
        w.dispatch(event, touch)
        touch.grab_current = None
    touch.grab_state = False


def kivy_run(scene, trace):
    H = scene["window"][1]
    root = Widget(size=scene["window"])
    scatters = {}
    for spec in scene["widgets"]:
        w, h = spec["size"]
        s = Scatter(size=(w, h), do_collide_after_children=False)
        conf = spec.get("scatter", {})
        s.do_translation = conf.get("translate", True)
        s.do_rotation = conf.get("rotate", True)
        s.do_scale = conf.get("scale", True)
        s.scale_min = conf.get("scale_min", 0.01)
        s.scale_max = conf.get("scale_max", 1e20)
        s.auto_bring_to_front = conf.get("bring_to_front", True)
        s.translation_touches = conf.get("translation_touches", 1)
        # vitrine: local y down from the top-left; Kivy: local y up from the
        # bottom-left, window y up. Flip both, so rotation changes sign.
        theta = math.radians(spec.get("rotation", 0.0))
        k = spec.get("scale", 1.0)
        px, py = spec["pos"]
        tx = px - k * math.sin(theta) * h
        ty = H - (py + k * math.cos(theta) * h)
        s.transform = Matrix()
        s.apply_transform(Matrix().scale(k, k, k))
        s.apply_transform(Matrix().rotate(-theta, 0, 0, 1))
        s.apply_transform(Matrix().translate(tx, ty, 0))
        s.vitrine_name = spec["name"]
        root.add_widget(s)
        scatters[spec["name"]] = s
    touches = {}
    for ev in trace:
        x, y = ev["x"], H - ev["y"]
        fid = ev["id"]
        if ev["phase"] == "start":
            t = Touch(fid, x, y)
            touches[fid] = t
            root.dispatch("on_touch_down", t)
        elif fid in touches:
            t = touches[fid]
            t.move_to(x, y)
            if ev["phase"] == "move":
                root.dispatch("on_touch_move", t)
                dispatch_grabbed(t, "on_touch_move")
            else:
                root.dispatch("on_touch_up", t)
                dispatch_grabbed(t, "on_touch_up")
                del touches[fid]
    out = []
    for s in root.children:  # front to back
        w, h = s.size
        corners = []
        for lx, ly in [(0, h), (w, h), (w, 0), (0, 0)]:
            cx, cy = s.to_parent(lx, ly)
            corners.append([cx, H - cy])
        out.append({"name": s.vitrine_name, "corners": corners})
    return out


def random_case(rng):
    W, H = 1280.0, 800.0
    widgets = []
    for i in range(rng.randint(1, 4)):
        widgets.append(
            {
                "name": f"w{i}",
                "size": [rng.uniform(120, 500), rng.uniform(120, 400)],
                "pos": [rng.uniform(0, W - 300), rng.uniform(0, H - 250)],
                "rotation": rng.choice([0.0, 0.0, rng.uniform(-180, 180)]),
                "scale": rng.choice([1.0, 1.0, rng.uniform(0.5, 2.0)]),
                "scatter": {
                    "keep_on_screen": False,
                    "inertia": False,
                    "translation_touches": rng.choice([1, 1, 1, 2]),
                    "scale_min": rng.choice([0.01, 0.5]),
                    "scale_max": rng.choice([1e20, 2.0]),
                },
            }
        )
    scene = {"window": [W, H], "widgets": widgets}
    trace, down, t, next_id = [], {}, 0.0, 1
    for _ in range(rng.randint(10, 120)):
        t += rng.uniform(0.005, 0.03)
        r = rng.random()
        if (not down or r < 0.15) and len(down) < 5:
            # Land near a widget's centre most of the time, anywhere otherwise.
            if rng.random() < 0.8:
                w = rng.choice(widgets)
                x = w["pos"][0] + rng.uniform(0, w["size"][0])
                y = w["pos"][1] + rng.uniform(0, w["size"][1])
            else:
                x, y = rng.uniform(0, W), rng.uniform(0, H)
            down[next_id] = (x, y)
            trace.append({"t": t, "id": next_id, "phase": "start", "x": x, "y": y})
            next_id += 1
        elif r < 0.25:
            fid = rng.choice(list(down))
            x, y = down.pop(fid)
            trace.append({"t": t, "id": fid, "phase": rng.choice(["end", "end", "cancel"]), "x": x, "y": y})
        else:
            fid = rng.choice(list(down))
            x, y = down[fid]
            x += rng.uniform(-40, 40)
            y += rng.uniform(-40, 40)
            down[fid] = (x, y)
            trace.append({"t": t, "id": fid, "phase": "move", "x": x, "y": y})
    for fid, (x, y) in down.items():
        t += 0.01
        trace.append({"t": t, "id": fid, "phase": "end", "x": x, "y": y})
    for ev in trace:
        ev["t"] = round(ev["t"], 6)
    return scene, trace


def vitrine_run(binary, scene, trace, tmp):
    sp, tp = os.path.join(tmp, "scene.json"), os.path.join(tmp, "trace.jsonl")
    with open(sp, "w") as f:
        json.dump(scene, f)
    with open(tp, "w") as f:
        f.writelines(json.dumps(e) + "\n" for e in trace)
    out = subprocess.run(
        [binary, "--config", os.path.join(tmp, "none.toml"), "replay", "--scene", sp, "--trace", tp, "--compact"],
        capture_output=True,
        text=True,
        env={**os.environ, "RUST_LOG": "error"},
    )
    if out.returncode != 0:
        raise RuntimeError(f"vitrine replay failed ({out.returncode}): {out.stderr}")
    return json.loads(out.stdout)["widgets"]


def compare(kivy, ours):
    if [w["name"] for w in kivy] != [w["name"] for w in ours]:
        return f"z-order differs: kivy {[w['name'] for w in kivy]}, vitrine {[w['name'] for w in ours]}"
    for k, v in zip(kivy, ours):
        for kc, vc in zip(k["corners"], v["corners"]):
            for a, b in zip(kc, vc):
                if abs(a - b) > TOLERANCE * max(1.0, abs(a)):
                    return f"{k['name']}: kivy corners {k['corners']}, vitrine {v['corners']}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261125)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    moved = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(args.cases):
            scene, trace = random_case(rng)
            kivy = kivy_run(scene, trace)
            ours = vitrine_run(args.binary, scene, trace, tmp)
            start = {w["name"]: w["pos"] for w in scene["widgets"]}
            moved += sum(1 for w in ours if abs(w["corners"][0][0] - start[w["name"]][0]) > 1.0)
            problem = compare(kivy, ours)
            if problem:
                failures += 1
                print(f"case {case}: {problem}", file=sys.__stderr__)
                if failures == 1:
                    print(json.dumps(scene), file=sys.__stderr__)
                    print("\n".join(json.dumps(e) for e in trace), file=sys.__stderr__)
    if moved == 0:
        print("no widget ever moved: the traces exercise nothing", file=sys.__stderr__)
        return 1
    print(f"kivy parity: {args.cases - failures}/{args.cases} random traces agree ({moved} widgets moved)")
    return 1 if failures else 0


if __name__ == "__main__":
    # Kivy routes sys.stdout and sys.stderr into its logger, so report through
    # the original streams.
    sys.stdout = sys.__stdout__
    sys.stderr = sys.__stderr__
    try:
        sys.exit(main())
    except Exception:
        import traceback

        traceback.print_exc(file=sys.__stderr__)
        sys.exit(1)
