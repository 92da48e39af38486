"""One backend worker: the app's events, its HTTP API and the compiled frontend on one port.

    python -m heyon_app.serve --port 8000

Scaled out (`make run-scaled`, deploy/), several of these run behind one port, sharing
PostgreSQL and Reflex's Redis state manager. It does what `reflex run --env prod
--single-port` does for its backend, minus the compile and the frontend build (the
frontend is exported once, by `make run-scaled` or the image build, for every worker):
`reflex run --backend-only` cannot serve the frontend (it always unmounts it), and
several `--single-port` runs would each build the frontend into the same .web/.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heyon_app.serve")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    from reflex.utils import exec as reflex_exec
    from reflex_base import constants
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    environment.REFLEX_MOUNT_FRONTEND_COMPILED_APP.set(True)
    # One granian worker: the supervisor, not granian, restarts a worker that ends.
    os.environ.setdefault("GRANIAN_WORKERS", "1")
    reflex_exec.run_granian_backend_prod(
        args.host, args.port, get_config().loglevel.subprocess_level()
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
