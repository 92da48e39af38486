"""Production installs `dependencies` (requirements.lock) only: local stand-ins and test
tools live in extras with their own lock files, and production code never imports them."""

from __future__ import annotations

import ast
import re
import tomllib

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCKS = {
    "dependencies": "requirements.lock",
    "local": "requirements-local.lock",
    "test": "requirements-test.lock",
}


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>~!; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / lock).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_name(name)] = version.strip()
    return pins


def _declared(group: str) -> dict[str, str]:
    reqs = (
        PYPROJECT["dependencies"]
        if group == "dependencies"
        else PYPROJECT["optional-dependencies"][group]
    )
    return {_name(r): r.split("==")[1] for r in reqs if "==" in r}


def test_each_declared_package_is_pinned_in_its_own_lock_at_the_same_version():
    locks = {group: _pins(lock) for group, lock in LOCKS.items()}
    for group, declared in (
        ("dependencies", _declared("dependencies")),
        ("local", _declared("local")),
        ("test", {k: v for k, v in _declared("test").items() if k != "reflex"}),
    ):
        for name, version in declared.items():
            assert locks[group].get(name) == version, f"{name} in {LOCKS[group]}"
    # A package is pinned in one lock only, so the three never disagree.
    names = [name for pins in locks.values() for name in pins]
    assert len(names) == len(set(names))


def test_runtime_lock_has_no_local_stand_in_or_test_tool():
    runtime = _pins("requirements.lock")
    for name in [*_declared("local"), *_declared("test")]:
        assert name == "reflex" or name not in runtime, name


def _imported_roots(path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_production_code_imports_no_local_or_test_package():
    dev_only = {"localstripe", "aiosmtpd", "psutil", "pytest", "playwright", "hypothesis"}
    sources = [ROOT / "rxconfig.py", *(ROOT / "heyon_app").rglob("*.py")]
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imported_roots(p) & dev_only)
        for p in sources
        if "devtools" not in p.parts and _imported_roots(p) & dev_only
    }
    assert offenders == {}


def test_the_installed_server_loop_and_redis_parser_are_the_fast_ones():
    """uvloop and hiredis are used only if found: an install without them still serves, with
    10-15 % more CPU per page load, and nothing else would say so."""
    from granian._loops import loops
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
    # What Granian's "auto" loop (Reflex's choice) takes when it is there.
    assert "uvloop" in loops
