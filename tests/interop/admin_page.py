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
                "--window-size=1500,1400", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    env = dict(os.environ, HOME=str(home)) if home else None
    service = Service(executable_path="/usr/bin/chromedriver", env=env)
    return webdriver.Chrome(service=service, options=options)


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
        wait("the red widget's row", lambda: driver.find_elements(By.CSS_SELECTOR, '#widgets tr[data-name="red"]'))
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
        wait("the pushed row", lambda: driver.find_elements(By.CSS_SELECTOR, '#widgets tr[data-name="pushed"]'))
        assert "pushed" in widgets(binary, remote)

        # Upload a file.
        driver.find_element(By.ID, "upload-file").send_keys(str(root / "upload.png"))
        driver.find_element(By.ID, "upload-name").send_keys("uploaded")
        driver.find_element(By.ID, "upload-submit").click()
        wait("the upload's message", lambda: "upload upload.png: done" in text(driver, "message"))
        wait("the uploaded row", lambda: driver.find_elements(By.CSS_SELECTOR, '#widgets tr[data-name="uploaded"]'))
        listed = widgets(binary, remote)["uploaded"]
        assert listed["url"].endswith("/uploads/upload.png"), listed

        # The pushed pictures came in front of the red one (new content is
        # placed large, in the middle): the row's Raise button brings it back.
        raise_red = '#widgets tr[data-name="red"] button'
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

        time.sleep(1.2)
        driver.save_screenshot(screenshot)
        print("admin page in a real browser: login, live picture, drag, push, upload, stats, screen power, timeline, proof of play, layout previews all work")
    finally:
        driver.quit()
        proc.kill()


if __name__ == "__main__":
    main()
