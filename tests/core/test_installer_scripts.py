"""Installer sources checked without building: Windows script, NMS stand-in, requirements."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
import torch
import torchvision

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "windows" / "roadwatch.iss"


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


check_iss = load(ROOT / "tools" / "check_iss.py", "check_iss")


def test_windows_script_passes_the_static_check() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_iss.py"), str(ISS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_windows_script_does_what_it_promises() -> None:
    script = ISS.read_text(encoding="utf-8")
    assert "PrivilegesRequired=admin" in script  # per-machine
    assert "{param:SITE|}" in script and "provision --system" in script
    assert "{param:REMOVEDATA|no}" in script  # silent uninstall keeps data by default
    assert "MB_DEFBUTTON2" in script  # interactive uninstall: "No, keep data" is the default
    assert "{group}" in script  # Start-menu entry


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("Flags: ignoreversion", "Flags: ignorversion"), "unknown flag 'ignorversion'"),
        (('DestDir: "{app}"; ', ""), "[Files] entry without its DestDir"),
        (("Check: HasSiteParameter", "Check: HasSiteParam"), "defines no function 'HasSiteParam'"),
        (("[Icons]", "[Icon]"), "unknown section [Icon]"),
        (('Name: "desktopicon";', 'Name: "desktopicon;'), "unbalanced double quotes"),
        (("#ifndef BundleDir", "#ifndef BundleDir\n#ifdef Nothing"), "without #endif"),
        (("AppVersion={#AppVersion}\n", ""), "[Setup] lacks AppVersion"),
    ],
)
def test_static_check_finds_each_kind_of_mistake(change: tuple[str, str], expected: str) -> None:
    script = ISS.read_text(encoding="utf-8")
    assert change[0] in script
    problems = [str(p) for p in check_iss.check(script.replace(change[0], change[1], 1))]
    assert any(expected in problem for problem in problems), problems


def test_static_check_finds_an_unclosed_pascal_block() -> None:
    script = ISS.read_text(encoding="utf-8").rstrip()
    assert script.endswith("end;")
    problems = [str(p) for p in check_iss.check(script.removesuffix("end;"))]
    assert any("unclosed Pascal block" in problem for problem in problems), problems


def test_nms_stand_in_keeps_the_same_boxes_as_torchvision() -> None:
    stand_in = load(ROOT / "installer/torchvision_nms/torchvision/ops/__init__.py", "nms_stand_in")
    generator = torch.Generator().manual_seed(7)
    for count in (0, 1, 5, 300, 2000):
        corners = torch.rand((count, 2), generator=generator) * 1200
        sizes = torch.rand((count, 2), generator=generator) * 150 + 2
        boxes = torch.cat([corners, corners + sizes], dim=1)
        scores = torch.rand(count, generator=generator)
        for iou in (0.45, 0.7):
            expected = torchvision.ops.nms(boxes, scores, iou)
            assert torch.equal(stand_in.nms(boxes, scores, iou), expected)


def test_bundle_requirements_follow_pyproject_without_the_gpu_stack() -> None:
    requirements = load(ROOT / "installer" / "bundle_requirements.py", "bundle_requirements")
    wanted = requirements.bundle_requirements()
    names = {requirements.package_name(r) for r in wanted}
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in declared["dependencies"]:
        name = requirements.package_name(requirement)
        if name not in {"torch", "torchvision", "ultralytics-opencv-headless"}:
            assert requirement in wanted  # same version range as the development environment
    assert not names & {"torch", "torchvision", "nvidia-ml-py"}
    assert "ultralytics-thop" in names  # Ultralytics' own runtime needs come along


def test_spec_takes_name_and_version_from_pyproject() -> None:
    spec = (ROOT / "installer" / "roadwatch.spec").read_text(encoding="utf-8")
    compile(spec, "roadwatch.spec", "exec")
    assert 'PROJECT["version"]' in spec and "pyproject.toml" in spec
    assert "console=True" in spec and "console=False" in spec  # CLI exe + windowed exe on Windows
