"""Reproducible installs: every dependency has a lower bound in pyproject.toml and a pin in
constraints.txt (which ``make`` installs with), and the installed set is consistent."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(requirement: str) -> tuple[str, str]:
    match = REQUIREMENT.match(requirement.split(";")[0])
    assert match, requirement
    return _normalise(match.group(1)), match.group(3).strip()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt must pin exact versions: {line!r}"
            pins[_normalise(name)] = version
    return pins


def _dependencies() -> list[str]:
    project = PYPROJECT["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["dev"]]


def test_every_dependency_has_a_lower_bound():
    runtime = PYPROJECT["project"]["dependencies"]
    assert runtime
    for requirement in _dependencies():
        _name, specifier = _split(requirement)
        assert ">=" in specifier or "==" in specifier or "~=" in specifier, (
            f"{requirement!r} needs a lower bound (e.g. >=X.Y)"
        )


def test_every_dependency_is_pinned_in_constraints_and_satisfies_its_bound():
    pins = _pins()
    for requirement in _dependencies():
        name, specifier = _split(requirement)
        assert name in pins, f"{name} is not pinned in constraints.txt (run `make lock`)"
        lower = re.search(r">=\s*([0-9][^,\s]*)", specifier)
        if lower:
            pinned = tuple(int(p) for p in re.findall(r"\d+", pins[name])[:3])
            bound = tuple(int(p) for p in re.findall(r"\d+", lower.group(1))[:3])
            assert pinned >= bound, f"{name}=={pins[name]} is below its bound {lower.group(1)}"


def test_make_installs_with_the_constraints_and_runs_pip_check():
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.count("-c constraints.txt") >= 2
    assert "pip check" in makefile


def test_the_installed_packages_are_consistent():
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
