"""Payment chores from the command line: `python -m heyon_app.payments reconcile`.

Reconciliation asks Stripe about every order still open, so a lost webhook or a crash
never loses a paid renewal, and closes orders nobody paid within their window. The worker
(`python -m heyon_app.jobs run`) does it on every pass; this command is the same by hand.
"""

from __future__ import annotations

import logging
import sys

from heyon_app import logs
from heyon_app.db import session_scope
from heyon_app.models import Order
from heyon_app.services import fulfilment, stripe_gateway

log = logging.getLogger(__name__)


def reconcile(url: str | None = None) -> dict[str, int]:
    """Each open order in its own transaction: one failure does not stop the others. The
    receipts a fulfilment queues are left to the outbox (the worker sends them)."""
    with session_scope(url) as session:
        order_ids = [o.id for o in fulfilment.open_orders(session)]
    counts = {"checked": 0, "fulfilled": 0, "expired": 0, "errors": 0}
    for order_id in order_ids:
        counts["checked"] += 1
        try:
            with session_scope(url) as session:
                order = session.get(Order, order_id)
                if order is None:
                    continue
                outcome = fulfilment.sync_order(session, order=order, source="reconcile")
                expired = order.status == "expired"
            if outcome.fulfilled:
                counts["fulfilled"] += 1
                with session_scope(url) as session:
                    fulfilment.send_queued(session, outcome.notifications)
            counts["expired"] += expired
        except stripe_gateway.GatewayError:
            counts["errors"] += 1
            log.exception(
                "reconcile: Stripe did not answer for order %s",
                order_id,
                extra={"order_id": order_id},
            )
    return counts


def main(argv: list[str]) -> int:
    logs.configure()
    if argv[:1] != ["reconcile"]:
        print("usage: python -m heyon_app.payments reconcile", file=sys.stderr)
        return 2
    counts = reconcile()
    print(
        f"checked {counts['checked']}, fulfilled {counts['fulfilled']}, errors {counts['errors']}"
    )
    return 1 if counts["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
