"""The admin page in a real browser: Debian's headless Chromium, driven by
Selenium from PyPI, against a headless vitrine, as a store manager would use it.

The page is served over HTTPS with the kiosk's own self-signed certificate,
which the test trusts the way a manager would on Linux: added to the browser
profile's NSS database with certutil, after checking its fingerprint against
the one the kiosk logs. A browser without that trust gets no page.

It logs in (a wrong password first), checks the live picture by its pixels,
drags a widget's outline by a known offset and checks `vitrine ctl list` moved
it by that offset, pushes a URL and uploads a file and sees both listed, and
reads the stats table after a scripted touch session through TUIO. It saves a
screenshot of the page for the README.

Usage: python admin_page.py VITRINE SCREENSHOT.png
"""

import hashlib
import json
import math
import os
import pathlib
import queue
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from tuio_sender import Tuio, png  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

W, H = 1280, 720
PASSWORD = "shop-manager"


def start(binary, root):
    config = root / "admin.toml"
    config.write_text(
        '[content]\nroots = ["%s"]\n[scatter]\ninertia = false\n'
        '[admin]\npassword = "%s"\ntls = "on"\n' % (root, PASSWORD))
    proc = subprocess.Popen(
        [binary, "--headless", "--no-demo", "--no-thrift", "--size", "%dx%d" % (W, H),
         "--remote-port", "0", "--tuio-port", "0", "--admin-port", "0", "--config", str(config)],
        stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, RUST_LOG="info", XDG_STATE_HOME=str(root / "state")),
    )
    # stderr is read on a thread, so a silent vitrine cannot hang the test.
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    ports = {}
    deadline = time.time() + 60
    while len(ports) < 4 and time.time() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        for key in (" address=", " tuio=", " admin="):
            if key in line:
                ports[key.strip(" =")] = int(line.split(key, 1)[1].split()[0].rsplit(":", 1)[1])
        if " fingerprint=" in line:
            ports["fingerprint"] = line.split(" fingerprint=", 1)[1].split()[0]
    if len(ports) != 4:
        proc.kill()
        sys.exit("vitrine did not start its servers: %s" % ports)
    return proc, ports


def ctl(binary, port, *args):
    out = subprocess.run([binary, "ctl", "--port", str(port), *args],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        sys.exit("vitrine ctl %s failed: %s%s" % (args, out.stdout, out.stderr))
    return out.stdout


def widgets(binary, port):
    return {w["name"]: w for w in json.loads(ctl(binary, port, "list"))["widgets"]}


def centre(w):
    xs = [c[0] for c in w["corners"]]
    ys = [c[1] for c in w["corners"]]
    return sum(xs) / 4, sum(ys) / 4


def wait(what, test, timeout=30):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = test()
            if last and not (isinstance(last, tuple) and last[0] == "no"):
                return last
        except StaleElementReferenceException:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))


def fingerprint(cert):
    """The SHA-256 fingerprint of a PEM certificate, as browsers show it."""
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    return ":".join("%02X" % b for b in hashlib.sha256(der).digest())


def trusting_home(root, cert):
    """A home folder whose NSS database (Chromium's on Linux) trusts `cert`."""
    home = root / "home"
    db = home / ".pki" / "nssdb"
    db.mkdir(parents=True)
    for args in (["-N", "--empty-password"],
                 ["-A", "-t", "CP,,", "-n", "vitrine kiosk", "-i", str(cert)]):
        subprocess.run(["certutil", "-d", "sql:%s" % db, *args], check=True, timeout=60)
    return home


def browser(home=None):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    env = dict(os.environ, HOME=str(home)) if home else None
    service = Service(executable_path="/usr/bin/chromedriver", env=env)
    return webdriver.Chrome(service=service, options=options)


def phone_browser(home):
    """Chromium emulating a 390x844 phone with touch."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": True, "mobile": True},
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                     "(KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    })
    service = Service(executable_path="/usr/bin/chromedriver", env=dict(os.environ, HOME=str(home)))
    return webdriver.Chrome(service=service, options=options)


def log_in(driver, base):
    driver.get(base)
    wait("the login form", lambda: driver.find_element(By.ID, "login").is_displayed())
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-button").click()
    wait("the page after login", lambda: driver.find_element(By.ID, "app").is_displayed())


def no_overflow(driver):
    """The page is no wider than the window: nothing scrolls sideways."""
    return driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")


def axe(driver, name, source):
    """Runs axe-core on the page; saves the report; fails on any serious or
    critical violation."""
    driver.execute_script(source)
    raw = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r)))"
        ".catch(e => done(JSON.stringify({error: String(e)})));")
    report = json.loads(raw)
    assert "error" not in report, report
    out = pathlib.Path("target") / ("admin-axe-%s.json" % name)
    out.write_text(json.dumps(report, indent=1))
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in report["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, "axe-core (%s): %s; see %s" % (name, bad, out)
    minor = [(v["id"], v["impact"]) for v in report["violations"]]
    print("axe-core (%s): %d rules passed, no serious or critical violation%s" % (
        name, len(report["passes"]), "; minor: %s" % minor if minor else ""))


def screenshots(driver, name):
    """The page in the light and the dark scheme, saved under target/."""
    driver.execute_script("window.scrollTo(0, 0)")
    for scheme in ("light", "dark"):
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": scheme}]})
        time.sleep(0.3)
        driver.save_screenshot("target/admin-%s-%s.png" % (name, scheme))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def touch(driver, kind, points):
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {
        "type": kind,
        "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
    })


def fingers(driver, starts, ends, steps=12):
    """Real touch events through the DevTools protocol: fingers down at
    `starts`, moved in steps to `ends`, and lifted."""
    touch(driver, "touchStart", starts)
    for n in range(1, steps + 1):
        t = n / steps
        touch(driver, "touchMove", [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                                    for a, b in zip(starts, ends)])
        time.sleep(0.02)
    touch(driver, "touchEnd", [])


def frame(w):
    """A listed widget's centre, angle (degrees) and width."""
    tl, tr = w["corners"][0], w["corners"][1]
    x, y = centre(w)
    return x, y, math.degrees(math.atan2(tr[1] - tl[1], tr[0] - tl[0])), math.hypot(tr[0] - tl[0], tr[1] - tl[1])


def slow_server(root):
    """An HTTP server on loopback whose picture takes two seconds to come."""
    import http.server

    body = (root / "pushed.png").read_bytes()

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(2)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def phone(binary, remote, base, home, root, axe_source, proc):
    """The page on a phone, by touch."""
    driver = phone_browser(home)
    try:
        log_in(driver, base)
        width, inner = no_overflow(driver)
        assert width <= inner, "the phone page is %d px wide in a %d px window" % (width, inner)
        print("phone (390x844): the page is %d px wide, the window %d px" % (width, inner))
        # Every width from a small phone to a wide desk: nothing scrolls sideways.
        # (844x390 is the phone turned to landscape.)
        for w, h in ((360, 800), (390, 844), (844, 390), (600, 900), (768, 1024), (1024, 768),
                     (1280, 900), (1920, 1080)):
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 900})
            time.sleep(0.2)
            got, inner = no_overflow(driver)
            assert got <= inner, "at %dx%d the page is %d px wide" % (w, h, got)
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        time.sleep(0.3)
        print("no horizontal scrolling from 360 to 1920 px, in portrait and landscape")

        # One finger drags the red outline.
        wait("the red outline", lambda: driver.find_elements(By.CSS_SELECTOR, 'polygon[data-name="red"]'))
        driver.execute_script("document.getElementById('screen-wrap').scrollIntoView({block: 'center'})")
        time.sleep(0.3)
        k = driver.execute_script("const i = document.getElementById('screen'); return %d / i.clientWidth;" % W)

        def outline_centre():
            return driver.execute_script(
                "const r = document.querySelector('polygon[data-name=\"red\"]').getBoundingClientRect();"
                "return [r.left + r.width / 2, r.top + r.height / 2];")
        before = frame(widgets(binary, remote)["red"])
        cx, cy = outline_centre()
        dx, dy = 40, 25
        fingers(driver, [(cx, cy)], [(cx + dx, cy + dy)])
        want = (before[0] + dx * k, before[1] + dy * k)

        def dragged():
            f = frame(widgets(binary, remote)["red"])
            return f if abs(f[0] - want[0]) < 3 and abs(f[1] - want[1]) < 3 else None
        got = wait("the one-finger drag to %r" % (want,), dragged)
        print("phone: a one-finger drag of (%d, %d) css px put red at (%.1f, %.1f) (want %.1f, %.1f)" % (
            dx, dy, got[0], got[1], want[0], want[1]))

        # Two fingers turn it by 20 degrees and scale it by 1.3 about their
        # midpoint, once the outline shows where the widget came to rest.
        def settled():
            f = frame(widgets(binary, remote)["red"])
            x, y = outline_centre()
            box = driver.execute_script("const r = document.getElementById('outlines').getBoundingClientRect(); return [r.left, r.top];")
            near = abs((x - box[0]) * k - f[0]) < 2 and abs((y - box[1]) * k - f[1]) < 2
            return (f, (x, y)) if near else None
        before, (cx, cy) = wait("the outline where the widget rests", settled)
        r, turn, grow = 30.0, math.radians(20), 1.3
        starts = [(cx - r, cy), (cx + r, cy)]
        ends = [(cx - r * grow * math.cos(turn), cy - r * grow * math.sin(turn)),
                (cx + r * grow * math.cos(turn), cy + r * grow * math.sin(turn))]
        fingers(driver, starts, ends)

        seen = []

        def pinched():
            f = frame(widgets(binary, remote)["red"])
            seen[:] = [f]
            ok = (abs(f[0] - before[0]) < 3 and abs(f[1] - before[1]) < 3
                  and abs(((f[2] - before[2] - 20) + 180) % 360 - 180) < 1
                  and abs(f[3] - before[3] * grow) < 3)
            return f if ok else None
        try:
            got = wait("the pinch (20 degrees, x1.3 about the midpoint)", pinched)
        except AssertionError:
            print("before the pinch", before, "after", seen, "log:", text(driver, "message"))
            raise
        print("phone: a two-finger pinch turned red from %.1f to %.1f degrees and its width from %.1f to %.1f" % (
            before[2], got[2], before[3], got[3]))

        # A push shows that it is under way, then its result.
        server = slow_server(root)
        url = "http://127.0.0.1:%d/slow.png" % server.server_address[1]
        driver.find_element(By.ID, "url-name").send_keys("slow")
        driver.find_element(By.ID, "url").send_keys(url)
        driver.execute_script("document.getElementById('url-submit').scrollIntoView({block: 'center'})")
        driver.find_element(By.ID, "url-submit").click()
        wait("the push in flight", lambda: driver.find_element(By.ID, "url-submit").get_attribute("aria-busy") == "true")
        assert "…" in text(driver, "message"), text(driver, "message")
        wait("the push's result", lambda: "done" in text(driver, "message")
             and driver.find_element(By.ID, "url-submit").get_attribute("aria-busy") is None)
        server.shutdown()
        print("phone: a push showed its progress (%r), then its result" % "busy")

        axe(driver, "phone", axe_source)
        screenshots(driver, "phone")

        # The time to interactive on a phone's pace: the page loaded again
        # (logged in) with the CPU four times slower and a mobile network.
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 5e6 / 8})
        driver.refresh()
        tti = wait("the page interactive", lambda: driver.execute_script(
            "const m = performance.getEntriesByName('vitrine-interactive'); return m.length ? m[0].startTime : null;"), 60)
        weight = driver.execute_script(
            "const own = performance.getEntriesByType('resource').filter(e => /\\.(js|css)$/.test(new URL(e.name).pathname));"
            "const nav = performance.getEntriesByType('navigation')[0];"
            "return [nav.decodedBodySize, own.reduce((s, e) => s + e.decodedBodySize, 0), own.length];")
        bench = {"tti_ms": round(tti), "html_bytes": weight[0], "css_js_bytes": weight[1], "files": weight[2] + 1}
        pathlib.Path("target/admin-page-bench.json").write_text(json.dumps(bench, indent=1))
        print("phone profile (4x CPU slowdown, 40 ms, 10 Mbit/s): interactive after %d ms; page weight %d bytes of HTML + %d of CSS and JS in %d files" % (
            bench["tti_ms"], weight[0], weight[1], weight[2] + 1))

        # The kiosk goes away: the page says so.
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
        wait("the live link", lambda: driver.find_element(By.ID, "link").get_attribute("data-state") == "live")
        proc.kill()
        state = wait("the link's loss shown", lambda: (lambda s: s if s in ("reconnecting", "gone") else None)(
            driver.find_element(By.ID, "link").get_attribute("data-state")))
        print("phone: with the kiosk gone the page says %r" % text(driver, "link"))
    finally:
        driver.quit()


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def main():
    binary, screenshot = sys.argv[1], sys.argv[2]
    root = pathlib.Path(tempfile.mkdtemp(prefix="vitrine-admin-page-"))
    png(root / "red.png", 200, 120)
    png(root / "pushed.png", 80, 80)
    png(root / "upload.png", 60, 60)
    proc, ports = start(binary, root)
    remote, admin = ports["address"], ports["admin"]
    base = "https://127.0.0.1:%d/" % admin
    cert = root / "state" / "vitrine" / "admin-tls" / "cert.pem"
    assert fingerprint(cert) == ports["fingerprint"], (fingerprint(cert), ports["fingerprint"])
    print("the page's certificate:", ports["fingerprint"])
    ctl(binary, remote, "fetch-url", "red", (root / "red.png").as_uri(), "--x", "400", "--y", "300")

    # A browser that was never told to trust the certificate gets no page.
    (root / "stranger").mkdir()
    stranger = browser(root / "stranger")
    try:
        stranger.get(base)
        assert not stranger.find_elements(By.ID, "login"), "an untrusted certificate was taken"
    finally:
        stranger.quit()

    driver = browser(trusting_home(root, cert))
    try:
        driver.get(base)

        # Log in: a wrong password first.
        wait("the login form", lambda: driver.find_element(By.ID, "login").is_displayed())
        driver.find_element(By.ID, "password").send_keys("not-it")
        driver.find_element(By.ID, "login-button").click()
        wait("the wrong-password message", lambda: "wrong password" in text(driver, "login-error"))
        assert not driver.find_element(By.ID, "app").is_displayed()
        field = driver.find_element(By.ID, "password")
        field.clear()
        field.send_keys(PASSWORD)
        driver.find_element(By.ID, "login-button").click()
        wait("the page after login", lambda: driver.find_element(By.ID, "app").is_displayed())

        # The live picture, by its pixels: the red widget's centre is red.
        wait("the red widget's row", lambda: driver.find_elements(By.CSS_SELECTOR, '#widgets li[data-name="red"]'))
        k = wait("the live picture", lambda: driver.execute_script(
            "const i = document.getElementById('screen');"
            "return i.complete && i.naturalWidth ? %d / i.clientWidth : 0;" % W))
        cx, cy = centre(widgets(binary, remote)["red"])

        def red_at_centre():
            return driver.execute_script(
                "const i = document.getElementById('screen');"
                "const c = document.createElement('canvas');"
                "c.width = i.naturalWidth; c.height = i.naturalHeight;"
                "const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
                "const s = i.naturalWidth / %d;"
                "return Array.from(g.getImageData(Math.round(arguments[0] * s), Math.round(arguments[1] * s), 1, 1).data);"
                % W, cx, cy)
        pixel = wait("red in the live picture", lambda: (lambda p: p if p[0] > 150 and p[1] < 90 else None)(red_at_centre()))
        print("live picture: the red widget's centre is", pixel)

        # Drag the outline by a known offset; the kiosk moves it by that offset
        # times the picture's scale.
        dx, dy = 60, 40
        wait("the red outline", lambda: driver.find_elements(By.CSS_SELECTOR, 'polygon[data-name="red"]'))

        def drag():
            outline = driver.find_element(By.CSS_SELECTOR, 'polygon[data-name="red"]')
            ActionChains(driver).drag_and_drop_by_offset(outline, dx, dy).perform()
            return True
        wait("the drag", drag)
        want = (cx + dx * k, cy + dy * k)

        def moved():
            got = centre(widgets(binary, remote)["red"])
            return got if abs(got[0] - want[0]) < 1.5 and abs(got[1] - want[1]) < 1.5 else None
        got = wait("the widget at %r" % (want,), moved)
        print("drag by (%d, %d) picture pixels moved the widget to %r (want %r)" % (dx, dy, got, want))

        # Push a URL.
        driver.find_element(By.ID, "url-name").send_keys("pushed")
        driver.find_element(By.ID, "url").send_keys((root / "pushed.png").as_uri())
        driver.find_element(By.ID, "url-submit").click()
        wait("the push's message", lambda: "done" in text(driver, "message"))
        wait("the pushed row", lambda: driver.find_elements(By.CSS_SELECTOR, '#widgets li[data-name="pushed"]'))
        assert "pushed" in widgets(binary, remote)

        # Upload a file.
        driver.find_element(By.ID, "upload-file").send_keys(str(root / "upload.png"))
        driver.find_element(By.ID, "upload-name").send_keys("uploaded")
        driver.find_element(By.ID, "upload-submit").click()
        wait("the upload's message", lambda: "upload upload.png: done" in text(driver, "message"))
        wait("the uploaded row", lambda: driver.find_elements(By.CSS_SELECTOR, '#widgets li[data-name="uploaded"]'))
        listed = widgets(binary, remote)["uploaded"]
        assert listed["url"].endswith("/uploads/upload.png"), listed

        # The pushed pictures came in front of the red one (new content is
        # placed large, in the middle): the row's Raise button brings it back.
        raise_red = '#widgets li[data-name="red"] button'
        wait("red's Raise button", lambda: driver.find_elements(By.CSS_SELECTOR, raise_red)[0].click() or True)
        wait("red in front", lambda: widgets(binary, remote)["red"]["z"] == 2)

        # A scripted touch session through TUIO: two taps and a drag on the red
        # widget. The stats table follows through the event stream.
        red = widgets(binary, remote)["red"]
        x, y = centre(red)
        tuio = Tuio(ports["tuio"], "sim@admin")
        for cursor in (1, 2):
            tuio.frame([(cursor, x / W, y / H)])
            tuio.frame([])
        for i in range(11):
            tuio.frame([(3, (x + 8 * i) / W, y / H)])
        tuio.frame([])

        def stats_row():
            cells = driver.find_elements(By.CSS_SELECTOR, '#stats tr[data-name="red"] td')
            values = [c.text for c in cells]
            return values if values[1:4] == ["3", "2", "1"] else ("no", values)
        try:
            row = wait("the red widget's stats (3 touches, 2 taps, 1 drag)", stats_row)
        except AssertionError:
            print(ctl(binary, remote, "stats"))
            print(text(driver, "events"))
            print(driver.execute_script("return document.getElementById('stats').outerHTML"))
            raise
        print("stats row:", row)
        bars = driver.find_elements(By.CSS_SELECTOR, '#stats-chart rect[data-name="red"]')
        assert bars and float(bars[0].get_attribute("width")) > 1, "a bar for red"

        # The screen's power: the button turns it off, says so, and back on.
        def power():
            return json.loads(ctl(binary, remote, "display"))["power"]
        driver.find_element(By.ID, "power").click()
        wait("the screen off", lambda: power() == "off")
        wait("the button offers on", lambda: text(driver, "power") == "Screen on")
        driver.find_element(By.ID, "power").click()
        wait("the screen on again", lambda: power() == "on")
        wait("the button offers off", lambda: text(driver, "power") == "Screen off")

        # Today's timeline (no schedule: one span of the default layout, the
        # one on screen) and proof of play (red was on screen: a row, and a
        # bar for its hour).
        wait("today's timeline", lambda: driver.find_elements(By.CSS_SELECTOR, '#timeline rect.span.active'))
        assert "default" in text(driver, "timeline-list"), text(driver, "timeline-list")
        def red_played():
            rows = driver.find_elements(By.CSS_SELECTOR, '#plays tbody tr')
            return [r.text for r in rows if "red" in r.text]
        played = wait("red's proof of play", red_played)
        print("proof of play row:", played[0])
        assert driver.find_elements(By.CSS_SELECTOR, '#plays-chart rect'), "a bar per hour"
        # The default layout's preview, drawn offscreen by the kiosk.
        wait("the default layout's preview", lambda: (driver.find_elements(By.CSS_SELECTOR, '#previews img[data-layout="default"]') or [None])[0] is not None
             and driver.execute_script("const i = document.querySelector('#previews img'); return i.complete && i.naturalWidth > 0"))

        # The keyboard: focus red's outline, three steps right, one turn.
        before = frame(widgets(binary, remote)["red"])
        driver.execute_script("document.querySelector('g.outline[data-name=\"red\"]').focus()")
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT).perform()
        ActionChains(driver).key_down(Keys.ALT).send_keys(Keys.ARROW_RIGHT).key_up(Keys.ALT).perform()

        def stepped():
            f = frame(widgets(binary, remote)["red"])
            ok = abs(f[0] - before[0] - 30) < 0.5 and abs(f[1] - before[1]) < 0.5 and abs(f[2] - before[2] - 5) < 0.1
            return f if ok else None
        got = wait("three arrow steps and a turn", stepped)
        print("keyboard: three steps right and Alt+Right moved red from %r to %r" % (before[:3], got[:3]))

        # Remove asks once, and can be undone.
        remove = '#widgets li[data-name="pushed"] button.danger'
        wait("pushed's Remove button", lambda: driver.find_elements(By.CSS_SELECTOR, remove))
        driver.find_element(By.CSS_SELECTOR, remove).click()
        wait("the question", lambda: driver.find_element(By.CSS_SELECTOR, remove).text == "Remove?")
        assert "pushed" in widgets(binary, remote), "one press removes nothing"
        driver.find_element(By.CSS_SELECTOR, remove).click()
        wait("pushed removed", lambda: "pushed" not in widgets(binary, remote))
        wait("the undo button", lambda: driver.find_elements(By.CSS_SELECTOR, "#message button.undo"))
        driver.find_element(By.CSS_SELECTOR, "#message button.undo").click()
        wait("pushed back", lambda: "pushed" in widgets(binary, remote))
        print("remove asked once, and its undo brought the widget back")

        width, inner = no_overflow(driver)
        assert width <= inner, "the desk page is %d px wide in a %d px window" % (width, inner)
        axe_source = (pathlib.Path("target") / "axe-core" / "axe.min.js").read_text()
        axe(driver, "desk", axe_source)
        time.sleep(1.2)
        driver.save_screenshot(screenshot)
        screenshots(driver, "desk")
        print("admin page in a real browser: login, live picture, drag, push, upload, stats, screen power, timeline, proof of play, layout previews all work")
    finally:
        driver.quit()
    try:
        phone(binary, remote, base, root / "home", root, axe_source, proc)
        print("admin page on a phone: no sideways scrolling, a drag and a pinch by touch, a push's progress, axe-core clean")
    finally:
        proc.kill()


if __name__ == "__main__":
    main()
