"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*?)\s*$")


def _split(requirement: str) -> tuple[str, str]:
    """'qiskit>=2.2,<3' -> ('qiskit', '>=2.2,<3'), names normalised, spaces dropped."""
    m = _REQ.match(requirement)
    assert m, f"cannot read requirement {requirement!r}"
    name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
    return name, m.group(2).replace(" ", "")


# the extras `make` installs (Makefile: pip install -e '.[dev,hardware]'); conda installs them all
EXTRAS = ("dev", "hardware")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = data["project"]
    reqs = list(project["dependencies"])
    for extra in EXTRAS:
        reqs += project["optional-dependencies"][extra]
    found: dict[str, str] = {}
    # environment markers for old Pythons (tomli on 3.10) do not concern conda's 3.10+ env
    for name, spec in (_split(r) for r in reqs if ";" not in r):
        assert found.setdefault(name, spec) == spec, f"{name} has two bounds in pyproject.toml"
    return found


def _environment() -> tuple[dict[str, str], dict]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep["pip"])
        else:
            conda.append(dep)
    found = {}
    for dep in conda + [p for p in pip if not p.startswith("-e")]:
        name, spec = _split(dep)
        if name not in ("python", "pip"):
            found[name] = spec
    return found, env


def test_environment_lists_the_same_dependencies_as_pyproject() -> None:
    wanted = _pyproject()
    found, _ = _environment()
    missing = sorted(set(wanted) - set(found))
    extra = sorted(set(found) - set(wanted))
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not extra, f"in environment.yml but not pyproject.toml: {extra}"
    differ = {n: (wanted[n], found[n]) for n in wanted if wanted[n] != found[n]}
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"


def test_environment_installs_the_package_and_names_the_env() -> None:
    _, env = _environment()
    assert env["name"] == "qlab"
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip[-1] == "-e .", "the pip section must end by installing qlab itself"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert _split(python)[1] == ">=3.10"


def test_make_installs_every_extra_the_environment_lists() -> None:
    """CI runs `make test` on a clean checkout: the extras must come from the Makefile."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert set(data["project"]["optional-dependencies"]) == set(EXTRAS)
    makefile = (ROOT / "Makefile").read_text()
    install = re.search(r"pip install [^\n]*-e '\.\[([a-z,]+)\]'", makefile)
    assert install, "the Makefile no longer installs qlab with its extras"
    assert set(install.group(1).split(",")) == set(EXTRAS)
