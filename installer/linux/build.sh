#!/usr/bin/env bash
# Build the Linux one-folder bundle (PyInstaller) and the .deb, on a Debian machine.
#
#   installer/linux/build.sh            -> build/dist/roadwatch/ and build/roadwatch_<version>_amd64.deb
#
# The bundle is built from its own CPU-only environment (build/bundle-venv): torch's CPU
# build instead of the development CUDA build, no torchvision but its NMS (see
# installer/torchvision_nms), everything else as pyproject.toml asks.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${ROADWATCH_BUILD_DIR:-$ROOT/build}"
VENV="$BUILD/bundle-venv"
PYTHON="${PYTHON:-python3.11}"
cd "$ROOT"

version() { "$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])'; }
requirement() {  # the pyproject.toml requirement string of one dependency
    "$PYTHON" - "$1" <<'PY'
import sys, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
print(next(d for d in deps if d.split(">")[0].split("<")[0].split("=")[0].strip() == sys.argv[1]))
PY
}

make_venv() {
    # Rebuilt when what decides its content changes.
    local stamp_text
    stamp_text="$(cat pyproject.toml installer/bundle_requirements.py installer/torchvision_nms/pyproject.toml | sha256sum)"
    if [ -f "$VENV/.stamp" ] && [ "$(cat "$VENV/.stamp")" = "$stamp_text" ]; then
        return
    fi
    echo "== bundle environment ($VENV)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    local pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
    "${pip[@]}" --upgrade pip
    "${pip[@]}" "torch==2.13.0"  # the CPU build (about 190 MB instead of several GB)
    "${pip[@]}" --no-deps "$(requirement ultralytics-opencv-headless)"
    "$VENV/bin/python" installer/bundle_requirements.py > "$VENV/requirements.txt"
    "${pip[@]}" -r "$VENV/requirements.txt" "pyinstaller>=6.10,<7"
    "${pip[@]}" --no-deps installer/torchvision_nms
    echo "$stamp_text" > "$VENV/.stamp"
}

build_bundle() {
    echo "== one-folder bundle"
    # The project itself, fresh each time (its metadata gives the version at run time).
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall .
    "$VENV/bin/pyinstaller" --noconfirm --log-level ERROR \
        --distpath "$BUILD/dist" --workpath "$BUILD/pyinstaller" installer/roadwatch.spec
    echo "bundle: $BUILD/dist/roadwatch ($(du -sh "$BUILD/dist/roadwatch" | cut -f1))"
}

make_venv
build_bundle
installer/linux/make_deb.sh "$BUILD/dist/roadwatch" "$(version)" "$BUILD"
