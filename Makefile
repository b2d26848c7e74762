# RoadWatch developer entry points. `make run` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

# Debian packages: Qt's xcb platform (to open a window), Xvfb (screenshots, `make run`
# without a display), GStreamer's RTSP server (real cameras in the integration tests),
# dpkg-dev and desktop-file-utils (the .deb of `make installer`).
DEB_PACKAGES := xvfb xauth libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
	libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-cursor0 \
	libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-noto-core \
	python3-gi python3-gst-1.0 gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-tools \
	gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
	gstreamer1.0-plugins-ugly gstreamer1.0-libav desktop-file-utils

.PHONY: run test lint venv system-deps screenshots bench translations installer clean help demo-cluster \
	accuracy-real accuracy-sim

help:
	@echo "make run      open the console on the built-in demo site (offline, local SQLite)"
	@echo "make test     lint + the whole test suite (Qt offscreen)"
	@echo "make demo-cluster  a local bus, two analytics nodes and a display console (demo site)"
	@echo "make lint     ruff, import-linter (no Qt in the core; layers), no import cycles, mypy"
	@echo "make bench    run the benchmarks in bench/ (JSON on the last line of each)"
	@echo "make accuracy-real  docs/ACCURACY.md's real-footage part: every labelled clip (../shared)"
	@echo "make accuracy-sim   docs/ACCURACY.md's simulator part: held-out seeds (~20-40 min)"
	@echo "make installer  Linux one-folder bundle + .deb in build/ (CPU-only; ~6 min)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		elif command -v sudo >/dev/null; then \
			echo "Installing system packages with sudo: $$missing"; \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing system packages (install them as root): $$missing"; exit 1; \
		fi; \
	fi

run: system-deps venv
	$(BIN)/roadwatch --demo

demo-cluster: system-deps venv
	$(BIN)/roadwatch demo-cluster

lint: venv
	$(BIN)/ruff check console ui tests bench tools
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/core/test_import_cycles.py
	$(BIN)/mypy console

test: system-deps venv lint
	$(BIN)/python -m pytest

# Runs the demo site for real on a throw-away database (a few minutes on 2 cores).
screenshots: system-deps venv
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \
		$(BIN)/python -m ui.screenshots --out docs/screenshots

# Linux bundle (build/dist/roadwatch) and .deb (build/roadwatch_<version>_amd64.deb), then
# the static check of the Windows Inno Setup script (installer/README.md).
installer: system-deps venv
	PYTHON=$(PYTHON) installer/linux/build.sh
	$(BIN)/python tools/check_iss.py installer/windows/roadwatch.iss

# docs/ACCURACY.md, part by part. The clips and the COCO model are in ../shared (never in the
# repository); each clip first runs live to measure the rate this machine reaches on it.
accuracy-real: venv
	$(BIN)/roadwatch eval --all tests/data/real --compare-fps 2.5,10 --markdown docs/ACCURACY.md

accuracy-sim: venv
	$(BIN)/python tools/accuracy_report.py

bench: venv
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

translations: venv
	$(BIN)/pyside6-lupdate $$(find ui -name '*.py' | sort) -ts resources/translations/roadwatch_vi.ts -target-language vi_VN
	$(BIN)/pyside6-lrelease resources/translations/roadwatch_vi.ts -qm resources/translations/roadwatch_vi.qm

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
