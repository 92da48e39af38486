"""A backend process that stops dead between Stripe's success and the database commit.

`python -m tests.integration.crashing_backend webhook PORT MARKER` serves the app's plain
HTTP endpoints (the Stripe webhook) with uvicorn; `... reconcile MARKER` runs one
reconciliation pass, as the worker does. Either way, the first fulfilment does all its work
inside the transaction, writes MARKER and then waits, uncommitted, for the test to SIGKILL
the process: what a power cut or an OOM kill does to a backend at the worst moment.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from heyon_app.services import fulfilment


def hold_before_commit(marker: Path) -> None:
    real = fulfilment.fulfil_payment

    def held(session, **kwargs) -> fulfilment.Outcome:
        outcome = real(session, **kwargs)
        if outcome.fulfilled:
            session.flush()  # every row written, the transaction still open
            marker.write_text(kwargs["payment_intent_id"])
            while True:
                time.sleep(60)
        return outcome

    # handle_event and sync_order look the function up in their module at call time.
    fulfilment.fulfil_payment = held


def main(argv: list[str]) -> None:
    mode, *args = argv
    hold_before_commit(Path(args[-1]))
    if mode == "webhook":
        import uvicorn

        from heyon_app.api import build_api

        uvicorn.run(build_api(), host="127.0.0.1", port=int(args[0]), log_level="warning")
    elif mode == "reconcile":
        from heyon_app import payments

        payments.reconcile()
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
