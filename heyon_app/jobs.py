"""The worker: `python -m heyon_app.jobs run` (a loop) or `run --once` (for cron).

Each pass charges the saved cards of lines due for auto-renew, reconciles open orders with
Stripe (fulfilling those payments and lost ones, expiring unpaid orders past their window),
queues the renewal reminders now due and sends the outbox. Several workers may run at
once: auto-renew attempts and reminders are unique rows and outbox rows are claimed before
sending, so nothing is charged or sent twice. SIGTERM or SIGINT ends the loop after the pass.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable

from heyon_app import logs, payments
from heyon_app.db import session_scope
from heyon_app.services import autorenew, health, notifications, reminders

log = logging.getLogger("heyon_app.jobs")

DEFAULT_INTERVAL_SECONDS = 60


def queue_reminders(url: str | None = None) -> int:
    """Each line in its own transaction: one bad line does not hold back the others."""
    with session_scope(url) as session:
        due = reminders.due_reminders(session)
    queued = 0
    for item in due:
        try:
            with session_scope(url) as session:
                queued += len(reminders.queue_reminder(session, line_id=item.line_id))
        except Exception:  # noqa: BLE001 - logged; the next pass tries the line again
            log.exception("reminder for line %s failed", item.line_id)
    return queued


def charge_auto_renewals(url: str | None = None) -> dict[str, int]:
    """Each line in its own session: one line's failure does not hold back the others."""
    with session_scope(url) as session:
        due = autorenew.due_lines(session)
    counts: dict[str, int] = {}
    for line_id in due:
        try:
            with session_scope(url) as session:
                outcome = autorenew.charge_line(session, line_id=line_id)
        except Exception:  # noqa: BLE001 - logged; the attempt row says what was done
            log.exception("auto-renew of line %s failed", line_id)
            outcome = "error"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def send_outbox(url: str | None = None) -> dict[str, int]:
    with session_scope(url) as session:
        return notifications.send_due(session)


def record_heartbeat(url: str | None = None) -> None:
    with session_scope(url) as session:
        health.record_heartbeat(session, worker=health.worker_name())


def run_pass(url: str | None = None) -> dict[str, object]:
    """One pass of every chore; a chore that fails is logged and the others still run."""
    try:
        # First: the health check should see a worker that runs even when a chore fails.
        record_heartbeat(url)
    except Exception:  # noqa: BLE001 - the chores still run; the health check will say so
        log.exception("worker heartbeat not recorded")
    # Auto-renew first and reconciliation next: a card charged now extends the line in
    # this same pass, before the reminders look at it.
    chores: list[tuple[str, Callable[[], object]]] = [
        ("autorenew", lambda: charge_auto_renewals(url)),
        ("reconcile", lambda: payments.reconcile(url)),
        ("reminders", lambda: queue_reminders(url)),
        ("outbox", lambda: send_outbox(url)),
    ]
    report: dict[str, object] = {}
    for name, chore in chores:
        try:
            report[name] = chore()
        except Exception:  # noqa: BLE001 - the worker outlives a database or Stripe hiccup
            log.exception("worker chore %s failed", name)
            report[name] = "error"
    return report


def run_forever(*, interval: float, stop: threading.Event, url: str | None = None) -> None:
    while not stop.is_set():
        log.info("worker pass: %s", run_pass(url))
        stop.wait(interval)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m heyon_app.jobs")
    parser.add_argument("command", choices=["run"])
    parser.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL_SECONDS,
        help=f"seconds between passes (default {DEFAULT_INTERVAL_SECONDS})",
    )
    args = parser.parse_args(argv)
    logs.configure()
    if args.once:
        report = run_pass()
        print(report)
        return 1 if "error" in report.values() else 0
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("worker stopping (signal %s)", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    log.info("worker started, a pass every %s s", args.interval)
    run_forever(interval=args.interval, stop=stop)
    log.info("worker stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
