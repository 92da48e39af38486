"""`make test`: the whole suite on SQLite and, side by side, the integration and browser
suites again on PostgreSQL + Redis (HEYON_TEST_BACKEND=pg-redis).

    python -m tests.both_passes

Run one after the other, the two passes took over the 15-minute budget on this 2-core
machine: most of a browser test is waiting (on Chromium, the app, Stripe's stand-in), so
two passes share the cores well. The second pass drives the browser flows at 360 px only
(tests/browser/conftest.py: layout does not depend on the backend). Each pass builds and
serves its own frontend, so the PostgreSQL + Redis pass runs in a copy of the work tree
(the files git would commit, and the uncommitted changes to them) with the same .venv and
.tools; it gets its own database, Redis, ports and temporary folders from tests/conftest.py
as any run does. Its output is printed, whole, after the SQLite pass's; the run fails if
either pass does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Unit tests use their own SQLite files and no app state: they run in the first pass only.
SECOND_PASS = ["tests/integration", "tests/browser"]
SHARED = (".venv", ".tools")
# Each pass names its slowest tests, so a run that nears the 15-minute budget says where.
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
    log_path = tree / "pg-redis-pass.log"
    env = dict(os.environ, HEYON_TEST_BACKEND="pg-redis")
    print(f"PostgreSQL + Redis pass: running beside this one in {tree} (output after it)")
    with open(log_path, "wb") as log:
        second = subprocess.Popen(
            [python, "-m", "pytest", SLOWEST, *SECOND_PASS],
            cwd=tree,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            first = subprocess.run(
                [python, "-m", "pytest", SLOWEST], cwd=ROOT, check=False
            ).returncode
            second_code = second.wait()
        finally:
            if second.poll() is None:
                second.terminate()
                second.wait()
    print("\n==== PostgreSQL + Redis pass (HEYON_TEST_BACKEND=pg-redis) ====", flush=True)
    sys.stdout.write(log_path.read_text(encoding="utf-8", errors="replace"))
    print(f"SQLite pass: exit {first}; PostgreSQL + Redis pass: exit {second_code}")
    if first == 0 and second_code == 0:
        shutil.rmtree(tree, ignore_errors=True)
    else:
        print(f"the PostgreSQL + Redis pass's tree is kept for a look: {tree}")
    return first or second_code


if __name__ == "__main__":
    sys.exit(main())
