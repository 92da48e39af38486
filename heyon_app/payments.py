"""Payment chores from the command line: `python -m heyon_app.payments reconcile`.

Reconciliation asks Stripe about every order still open, so a lost webhook or a crash
never loses a paid renewal. Run it from cron every few minutes.
"""

from __future__ import annotations

import logging
import sys

from heyon_app.db import session_scope
from heyon_app.services import fulfilment, stripe_gateway

log = logging.getLogger(__name__)


def reconcile() -> dict[str, int]:
    """Each open order in its own transaction: one failure does not stop the others."""
    with session_scope() as session:
        order_ids = [o.id for o in fulfilment.open_orders(session)]
    counts = {"checked": 0, "fulfilled": 0, "errors": 0}
    for order_id in order_ids:
        counts["checked"] += 1
        try:
            with session_scope() as session:
                from heyon_app.models import Order

                order = session.get(Order, order_id)
                outcome = fulfilment.sync_order(session, order=order, source="reconcile")
            if outcome.fulfilled:
                counts["fulfilled"] += 1
                with session_scope() as session:
                    fulfilment.send_queued(session, outcome.notifications)
        except stripe_gateway.GatewayError:
            counts["errors"] += 1
            log.exception("reconcile: Stripe did not answer for order %s", order_id)
    return counts


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO)
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
