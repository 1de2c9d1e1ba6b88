# vitrine: `make run` starts the kiosk with its built-in demo; `make test` runs the whole test suite.
# Both install the Debian packages they need first, and only those that are missing.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# Build and run: GStreamer's development files (found through pkg-config),
# the codecs a kiosk needs (VP8/VP9/WebM/MP4/HTTP in -good, H.264 in -libav),
# Vulkan (Mesa's lavapipe where there is no GPU), EGL for the GLES fallback,
# the X11/Wayland client libraries winit loads at run time, and the fonts
# HTML cards use (the same on every machine, so snapshots match).
RUN_PACKAGES := pkg-config libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev \
	gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav \
	mesa-vulkan-drivers libvulkan1 libegl1 libx11-6 libx11-xcb1 libxcb1 \
	libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0 libwayland-client0 \
	fontconfig fonts-dejavu-core
# Tests: all of that, gst-launch-1.0 to make test clips, Xvfb for the
# real-window tests, xdotool to drive its pointer in the soak, Python with
# venv and libGL for the Kivy parity check, and Apache Thrift's compiler, C++
# library and PHP library (with g++ and php) for the Thrift interop clients,
# and Mosquitto, the MQTT broker the fleet tests start on a free port.
TEST_PACKAGES := $(RUN_PACKAGES) gstreamer1.0-tools xvfb xauth xdotool python3 python3-venv libgl1 \
	thrift-compiler libthrift-dev libboost-dev g++ php-cli php-thrift mosquitto
# The adaptive-stream test (tests/it/video_policy.rs): GStreamer's HLS and DASH
# demuxers that uridecodebin plugs (gstreamer1.0-plugins-bad) and the
# libsoup they load at run time, as a kiosk that plays streams has them;
# without them the stream fails early and an escape would stay hidden.
TEST_PACKAGES += gstreamer1.0-plugins-bad libsoup2.4-1
# The Wayland sessions (tests/it/wayland.rs): cage, as the package's unit runs
# it, and sway, on wlroots' headless backend (cage will not start without
# Xwayland), and grim to capture what they show.
TEST_PACKAGES += cage xwayland sway grim
# cec-ctl, for the HDMI-CEC power test (tests/it/power_x11.rs).
TEST_PACKAGES += v4l-utils

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
KIVY_VENV := target/kivy-venv
JSOCKET2_VENV := target/jsocket2-venv
JSOCKET1_VENV := target/jsocket1-venv
THRIFT_VENV := target/thrift-venv
THRIFT_GEN := target/thrift-gen
TUIO_VENV := target/tuio-venv
ADMIN_VENV := target/admin-venv
FLEET_VENV := target/fleet-venv
# The admin page's browser test: Debian's Chromium and its WebDriver, and
# NSS's certutil to trust the page's certificate as a manager would.
BROWSER_PACKAGES := chromium chromium-driver libnss3-tools
# axe-core, the accessibility checker, from the npm registry, pinned by
# version and the registry's SHA-512 (tests/interop/fetch_axe.py).
AXE_VERSION := 4.10.2
AXE_SHA512 := RE3mdQ7P3FRSe7eqCWoeQ/Z9QXrtniSjp1wUjt5nRC3WIpz5rSCve6o3fsZ2aCpJtrZjSZgjwXAoTO5k4tEI0w==
# Packaging: dpkg-shlibdeps (dpkg-dev) finds the shared libraries the binary
# needs, and lintian checks the package.
DEB_PACKAGES := dpkg-dev lintian

.PHONY: run test deb deb-check deps-run deps-test kivy-parity interop thrift-interop tuio-interop admin-browser fleet-interop bench fuzz soak abuse crash-test

define apt_ensure
	@missing=""; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q '^install ok installed$$' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "vitrine: installing missing packages:$$missing"; \
		$(SUDO) apt-get update -q; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

deps-run:
	$(call apt_ensure,$(RUN_PACKAGES))

deps-test:
	$(call apt_ensure,$(TEST_PACKAGES))

run: deps-run
	cargo run --release -p vitrine -- --config config/demo.toml

test: deps-test
	cargo test --workspace --all-targets
	cargo test --workspace --doc
	$(MAKE) --no-print-directory kivy-parity
	$(MAKE) --no-print-directory interop
	$(MAKE) --no-print-directory thrift-interop
	$(MAKE) --no-print-directory tuio-interop
	$(MAKE) --no-print-directory admin-browser
	$(MAKE) --no-print-directory fleet-interop
	$(MAKE) --no-print-directory deb-check

# The Debian package, target/debian/vitrine_<version>-1_<arch>.deb, built by
# cargo-deb (installed when missing) from a stripped release build, with the
# manual page and shell completions the binary prints.
deb:
	$(call apt_ensure,$(DEB_PACKAGES))
	@command -v cargo-deb >/dev/null 2>&1 || cargo install --locked --quiet cargo-deb
	rm -f target/debian/*.deb
	cargo build --release
	mkdir -p target/release/man target/release/completions
	target/release/vitrine manpage | gzip -9n > target/release/man/vitrine.1.gz
	target/release/vitrine completions bash > target/release/completions/vitrine
	target/release/vitrine completions zsh > target/release/completions/_vitrine
	target/release/vitrine completions fish > target/release/completions/vitrine.fish
	cargo deb -p vitrine --no-build

# The package inspected (tests/it/package.rs: metadata, files, conffiles,
# units, dependencies) and lintian, which must report no errors.
deb-check: deb
	cargo test --quiet --test it package:: -- --ignored
	lintian --fail-on error target/debian/vitrine_*.deb

# Random multi-finger traces through Kivy 2.3.1's own Scatter and `vitrine replay`: corners must agree.
kivy-parity:
	@[ -x $(KIVY_VENV)/bin/python ] || /usr/bin/python3 -m venv $(KIVY_VENV)
	@$(KIVY_VENV)/bin/pip show -q kivy >/dev/null 2>&1 || $(KIVY_VENV)/bin/pip install -q --disable-pip-version-check kivy==2.3.1
	cargo build --quiet --bin vitrine
	$(KIVY_VENV)/bin/python tests/kivy/parity.py target/debug/vitrine --cases 300

# The real jsocket clients from PyPI (2.0.3: v2 framing; 1.9.5: v1 framing) and a raw '=I' client
# drive fetchUrl, postHtml, whatsLoaded and currentUrl against a headless vitrine.
interop:
	@[ -x $(JSOCKET2_VENV)/bin/python ] || /usr/bin/python3 -m venv $(JSOCKET2_VENV)
	@$(JSOCKET2_VENV)/bin/pip show -q jsocket >/dev/null 2>&1 || $(JSOCKET2_VENV)/bin/pip install -q --disable-pip-version-check jsocket==2.0.3
	@[ -x $(JSOCKET1_VENV)/bin/python ] || /usr/bin/python3 -m venv $(JSOCKET1_VENV)
	@$(JSOCKET1_VENV)/bin/pip show -q jsocket >/dev/null 2>&1 || $(JSOCKET1_VENV)/bin/pip install -q --disable-pip-version-check jsocket==1.9.5
	cargo build --quiet --bin vitrine
	$(JSOCKET2_VENV)/bin/python tests/interop/jsocket_clients.py target/debug/vitrine
	$(JSOCKET1_VENV)/bin/python tests/interop/jsocket_clients.py target/debug/vitrine

# Clients generated from crates/vitrine-serve/src/thrift/displaymanager.thrift by Apache Thrift's own
# compiler (Debian's 0.17): Python on PyPI's thrift 0.25 (binary and compact,
# buffered and framed), C++ on libthrift and PHP on php-thrift (binary,
# buffered and framed), against a headless vitrine.
thrift-interop:
	@[ -x $(THRIFT_VENV)/bin/python ] || /usr/bin/python3 -m venv $(THRIFT_VENV)
	@$(THRIFT_VENV)/bin/pip show -q thrift >/dev/null 2>&1 || $(THRIFT_VENV)/bin/pip install -q --disable-pip-version-check thrift==0.25.0
	@rm -rf $(THRIFT_GEN) && mkdir -p $(THRIFT_GEN)/gen-py $(THRIFT_GEN)/gen-php $(THRIFT_GEN)/gen-cpp
	thrift -out $(THRIFT_GEN)/gen-py --gen py crates/vitrine-serve/src/thrift/displaymanager.thrift
	thrift -out $(THRIFT_GEN)/gen-py --gen py tests/interop/seed.thrift
	thrift -out $(THRIFT_GEN)/gen-php --gen php crates/vitrine-serve/src/thrift/displaymanager.thrift
	thrift -out $(THRIFT_GEN)/gen-cpp --gen cpp:pure_enums crates/vitrine-serve/src/thrift/displaymanager.thrift
	g++ -std=c++17 -O1 -o $(THRIFT_GEN)/thrift_client -I $(THRIFT_GEN)/gen-cpp tests/interop/thrift_client.cpp \
		$(THRIFT_GEN)/gen-cpp/displaymanager.cpp $(THRIFT_GEN)/gen-cpp/displaymanager_types.cpp $$(pkg-config --cflags --libs thrift)
	cargo build --quiet --bin vitrine
	$(THRIFT_VENV)/bin/python tests/interop/thrift_clients.py target/debug/vitrine $(THRIFT_GEN) $(THRIFT_GEN)/thrift_client

# A real TUIO sender: python-osc from PyPI sends /tuio/2Dcur bundles for a drag
# and a pinch; the widget must end where `vitrine replay` puts it.
tuio-interop:
	@[ -x $(TUIO_VENV)/bin/python ] || /usr/bin/python3 -m venv $(TUIO_VENV)
	@$(TUIO_VENV)/bin/pip show -q python-osc >/dev/null 2>&1 || $(TUIO_VENV)/bin/pip install -q --disable-pip-version-check python-osc==1.9.3
	cargo build --quiet --bin vitrine
	$(TUIO_VENV)/bin/python tests/interop/tuio_sender.py target/debug/vitrine

# The admin page in headless Chromium, driven by Selenium from PyPI (4.51.0
# works with Debian's Chromium 156), against a headless vitrine: login, the
# live picture by its pixels, a drag, a push, an upload, the stats table.
# It leaves a screenshot of the page in target/admin-page.png.
admin-browser:
	$(call apt_ensure,$(BROWSER_PACKAGES))
	@[ -x $(ADMIN_VENV)/bin/python ] || /usr/bin/python3 -m venv $(ADMIN_VENV)
	@{ $(ADMIN_VENV)/bin/pip show -q selenium && $(ADMIN_VENV)/bin/pip show -q python-osc; } >/dev/null 2>&1 || $(ADMIN_VENV)/bin/pip install -q --disable-pip-version-check selenium==4.51.0 python-osc==1.9.3
	cargo build --quiet --bin vitrine
	$(ADMIN_VENV)/bin/python tests/interop/fetch_axe.py $(AXE_VERSION) $(AXE_SHA512) target/axe-core
	$(ADMIN_VENV)/bin/python tests/interop/admin_page.py target/debug/vitrine target/admin-page.png

# The fleet's back office played by paho-mqtt from PyPI (not vitrine's own
# client) through Debian's Mosquitto, for two headless kiosks in one group.
fleet-interop:
	@[ -x $(FLEET_VENV)/bin/python ] || /usr/bin/python3 -m venv $(FLEET_VENV)
	@$(FLEET_VENV)/bin/pip show -q paho-mqtt >/dev/null 2>&1 || $(FLEET_VENV)/bin/pip install -q --disable-pip-version-check paho-mqtt==2.1.0
	cargo build --quiet --bin vitrine
	$(FLEET_VENV)/bin/python tests/interop/fleet_backoffice.py target/debug/vitrine

bench:
	cargo bench

# Stable-Rust fuzzing of every parser of outside input (tests/it/fuzz.rs):
# FUZZ_CASES mutated and random inputs per target (CI runs 1,000 each).
FUZZ_CASES ?= 500000
fuzz: deps-test
	VITRINE_FUZZ_CASES=$(FUZZ_CASES) cargo test --test it fuzz:: -- --nocapture

# The live abuse campaign at full length: hostile frames and requests of every
# known class on the socket, the admin page, Thrift, TUIO and the fleet (through
# Mosquitto) at once, split among them, while a healthy client on each keeps
# working (CI sends 20,000 in all).
ABUSE_FRAMES ?= 100000
abuse: deps-test
	VITRINE_ABUSE_FRAMES=$(ABUSE_FRAMES) cargo test --test it abuse_campaign:: -- --nocapture

# A windowed kiosk under Xvfb, busy with random loads, removals, backdrops,
# screenshots and xdotool gestures; RSS, threads and fds must stay flat.
SOAK_SECONDS ?= 1800
# The crash test: 1,000 state changes with kill -9 at random moments, each
# restart checked against the last acknowledged revision (CI runs 150).
CRASH_OPS ?= 1000
crash-test: deps-test
	VITRINE_CRASH_OPS=$(CRASH_OPS) cargo test --test it state::acknowledged_changes_survive_sigkill -- --nocapture

soak: deps-test
	VITRINE_SOAK_SECONDS=$(SOAK_SECONDS) cargo test --test it soak:: -- --nocapture
