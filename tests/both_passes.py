"""`make test`: the whole suite on SQLite and, side by side, the integration and browser
suites again on PostgreSQL + Redis (HEYON_TEST_BACKEND=pg-redis).

    python -m tests.both_passes

Three runs start at once on this 2-core machine, where the suite is bound by CPU:
- the SQLite pass: the integration and browser suites on SQLite and Reflex's in-memory state
  (the demo set-up); the browser flows run at 360 px, and each page they reach is looked at
  (screenshot, overflow, contrast, names) at 360 and 1280 px;
- the PostgreSQL + Redis pass: the same suites again, each page looked at at 360 px only
  (tests/browser/conftest.py: layout does not depend on the backend);
- the unit tests (their own SQLite files, no app state), once. They fill the time the two
  passes' integration suites spend waiting (on a stopped database, a stalled mail server, a
  killed backend), which left a quarter of the cores idle.

Each pass builds and serves its own frontend, so the PostgreSQL + Redis pass runs in a copy
of the work tree (the files git would commit, and the uncommitted changes to them) with the
same .venv and .tools, and the unit tests beside it; each run gets its own database, Redis,
ports and temporary folders from tests/conftest.py as any run does. The SQLite pass's output
comes as it runs, the others' whole after it; the run fails if any run does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_SUITES = ["tests/integration", "tests/browser"]
SHARED = (".venv", ".tools")
# Each run names its slowest tests, so a run that nears the 15-minute budget says where.
SLOWEST = "--durations=15"


def _copy_of_the_tree() -> Path:
    """The files a commit of the work tree would hold (with their uncommitted changes), in a
    new temporary folder."""
    target = Path(tempfile.mkdtemp(prefix="heyon-pg-redis-pass-"))
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(
        ["rsync", "-a", "--from0", "--files-from=-", f"{ROOT}/", f"{target}/"],
        input=listed,
        check=True,
    )
    for name in SHARED:
        (target / name).symlink_to(ROOT / name)
    return target


def main() -> int:
    python = str(ROOT / ".venv" / "bin" / "python")
    tree = _copy_of_the_tree()
    sqlite_env = {k: v for k, v in os.environ.items() if k != "HEYON_TEST_BACKEND"}
    # title, pytest arguments, environment; the unit tests share the copy's folder with the
    # pass there, so they keep no pytest cache of their own.
    beside = [
        ("PostgreSQL + Redis pass", APP_SUITES, dict(os.environ, HEYON_TEST_BACKEND="pg-redis")),
        ("unit tests", ["-p", "no:cacheprovider", "tests/unit"], sqlite_env),
    ]
    print(f"{' and '.join(title for title, _, _ in beside)}: running beside this pass in {tree}")
    logs = [tree / f"run-{n}.log" for n in range(len(beside))]
    started: list[subprocess.Popen] = []
    try:
        for (_, args, env), log_path in zip(beside, logs, strict=True):
            with open(log_path, "wb") as log:
                started.append(
                    subprocess.Popen(
                        [python, "-m", "pytest", SLOWEST, *args],
                        cwd=tree,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        codes = [
            subprocess.run(
                [python, "-m", "pytest", SLOWEST, *APP_SUITES], cwd=ROOT, env=sqlite_env
            ).returncode
        ]
        codes += [run.wait() for run in started]
    finally:
        for run in started:
            if run.poll() is None:
                run.terminate()
                run.wait()
    for (title, _, _), log_path in zip(beside, logs, strict=True):
        print(f"\n==== {title} ====", flush=True)
        sys.stdout.write(log_path.read_text(encoding="utf-8", errors="replace"))
    titles = ["SQLite pass"] + [title for title, _, _ in beside]
    print("; ".join(f"{title}: exit {code}" for title, code in zip(titles, codes, strict=True)))
    if not any(codes):
        shutil.rmtree(tree, ignore_errors=True)
    else:
        print(f"the PostgreSQL + Redis pass's tree is kept for a look: {tree}")
    return next((code for code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main())
