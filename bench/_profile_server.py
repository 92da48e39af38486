"""The backend under cProfile, for finding what a page load spends its CPU on.

    PYTHONPATH=. .venv/bin/python bench/_profile_server.py PORT OUT.prof

Serves the app's backend (production mode, one process, uvicorn) on 127.0.0.1:PORT until
SIGINT, then writes the profile. Drive it with `bench/event_load_bench.py --url ...`
(same DB_URL) and read it with `python -m pstats OUT.prof`. Not part of `make bench`.
"""

from __future__ import annotations

import cProfile
import os
import sys
import time


def main() -> None:
    port, out = int(sys.argv[1]), sys.argv[2]
    os.environ.setdefault("REFLEX_ENV_MODE", "prod")
    os.environ["REFLEX_SKIP_COMPILE"] = "true"
    import uvicorn

    from heyon_app.heyon_app import app

    asgi = app()
    # The event loop thread's CPU time, not wall time: a call that gives up the GIL (a
    # socket send) would otherwise be charged with the worker threads' time.
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    try:
        uvicorn.run(asgi, host="127.0.0.1", port=port, log_level="warning")
    finally:
        profiler.disable()
        profiler.dump_stats(out)


if __name__ == "__main__":
    main()
