from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from console import __version__
from console.cli.main import EXIT_FAILURE, EXIT_NO_DISPLAY, EXIT_OK, main

BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "broken"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "RW_TEST_CAM_PASSWORD": "not-a-real-password", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "console.cli.main", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"RoadWatch {__version__}"


def test_check_config_accepts_demo_site(capsys: pytest.CaptureFixture[str]) -> None:
    from console.config.site_file import demo_site_path

    assert main(["check-config", str(demo_site_path())]) == EXIT_OK
    assert "OK" in capsys.readouterr().out


@pytest.mark.slow
def test_five_broken_files_give_different_clear_messages() -> None:
    messages = {}
    for file in sorted(BROKEN.glob("*.yaml")):
        result = run_cli("check-config", str(file))
        assert result.returncode == EXIT_FAILURE, file.name
        assert "Traceback" not in result.stderr, result.stderr
        problem_lines = [line for line in result.stderr.splitlines() if line.startswith("  ")]
        assert problem_lines, result.stderr
        assert all(f"{file}:" in line for line in problem_lines)  # every problem has file:line
        messages[file.name] = "\n".join(problem_lines)
    assert len(messages) >= 5
    bodies = {m.split(": ", 1)[1] for m in messages.values()}
    assert len(bodies) == len(messages)  # all different
    assert "required field 'name'" in messages["missing-field.yaml"]
    assert "duplicate camera id" in messages["duplicate-camera.yaml"]
    assert "RW_TEST_UNSET_VARIABLE" in messages["unknown-env-var.yaml"]
    assert "cross each other" in messages["bad-geometry.yaml"]
    assert "valid number" in messages["wrong-type.yaml"]
    assert "not valid YAML" in messages["syntax-error.yaml"]


@pytest.mark.slow
def test_missing_file_is_a_clear_error() -> None:
    result = run_cli("check-config", "/nonexistent/site.yaml")
    assert result.returncode == EXIT_FAILURE
    assert "file not found" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_unknown_command_is_a_usage_error() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


@pytest.mark.slow
def test_gui_without_display_explains_what_to_do() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "console.cli.main", "--demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == EXIT_NO_DISPLAY
    assert "no display found" in result.stderr
    assert "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_verbose_writes_debug_lines_to_the_log(isolated_user_dirs: Path) -> None:
    result = run_cli(
        "--verbose",
        "check-config",
        str(BROKEN / "wrong-type.yaml"),
        env={"ROADWATCH_LOG_DIR": str(isolated_user_dirs / "log")},
    )
    assert result.returncode == EXIT_FAILURE
    log_text = (isolated_user_dirs / "log" / "roadwatch.log").read_text()
    assert "starting" in log_text
