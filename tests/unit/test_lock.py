"""The lock files pin every dependency pyproject.toml names, at a version its range accepts.

`make install` installs requirements-dev.lock; a dependency added to pyproject.toml without `make lock`
would otherwise reach a fresh machine unpinned (or not at all).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
APP = [Requirement(line) for line in PROJECT["dependencies"]]
DEV = [Requirement(line) for line in PROJECT["optional-dependencies"]["dev"]]


def pins(name: str) -> dict[str, str]:
    """{canonical name: version} of a lock's `name==version` lines."""
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            package, _, version = line.split(";")[0].strip().partition("==")
            found[canonicalize_name(package.split("[")[0])] = version.strip()
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("requirements.lock", APP), ("requirements-dev.lock", APP + DEV)],
)
def test_lock_pins_every_dependency_within_its_range(lock: str, requirements: list[Requirement]) -> None:
    pinned = pins(lock)
    missing = [str(r) for r in requirements if canonicalize_name(r.name) not in pinned]
    outside = [
        f"{r} (locked {pinned[canonicalize_name(r.name)]})"
        for r in requirements
        if canonicalize_name(r.name) in pinned and pinned[canonicalize_name(r.name)] not in r.specifier
    ]
    assert not missing, f"{lock} lacks {missing}: run `make lock`"
    assert not outside, f"{lock} pins outside pyproject's ranges: {outside}: run `make lock`"


def test_app_lock_holds_no_dev_tools() -> None:
    assert "pytest" not in pins("requirements.lock")
    assert pins("requirements.lock").items() <= pins("requirements-dev.lock").items()
