"""Plain HTTP endpoints beside the Reflex app."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os
from collections.abc import Awaitable, Callable

import stripe
from reflex.utils.format import json_dumps
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from heyon_app import logs, routes
from heyon_app.db import DatabaseUnavailable, session_scope
from heyon_app.services import fulfilment, health, stripe_gateway
from heyon_app.settings import settings
from heyon_app.state import preload

log = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]


def with_request_id(endpoint: Endpoint) -> Endpoint:
    """Every log line of one request (threads included) carries the same request_id, also
    returned as X-Request-ID so an operator can find the lines of a failed call."""

    @functools.wraps(endpoint)
    async def wrapped(request: Request) -> Response:
        with logs.request_context(request.headers.get("x-request-id")):
            response = await endpoint(request)
            response.headers["X-Request-ID"] = logs.current("request_id")
            return response

    return wrapped


@with_request_id
async def health_endpoint(_: Request) -> JSONResponse:
    """For load balancers and monitoring: 200 {"status": "ok"} when the database (migrated),
    Stripe, the mail server and the worker all answer; 503 naming what failed otherwise."""
    results = await asyncio.to_thread(health.run_checks)
    checks = {c.name: {"ok": c.ok} | ({"reason": c.reason} if not c.ok else {}) for c in results}
    if all(c.ok for c in results):
        return JSONResponse({"status": "ok", "checks": checks})
    return JSONResponse({"status": "unhealthy", "checks": checks}, status_code=503)


def _send_after_commit(ids: list[int]) -> None:
    with session_scope() as session:
        fulfilment.send_queued(session, ids)


def _handle_event(event: dict) -> fulfilment.Outcome:
    with session_scope() as session:
        return fulfilment.handle_event(session, event)


@with_request_id
async def stripe_webhook(request: Request) -> JSONResponse:
    """Stripe's events, verified over the raw body; each is handled once, in one transaction."""
    payload = await request.body()
    try:
        event = stripe_gateway.verified_event(payload, request.headers.get("stripe-signature", ""))
    except (ValueError, stripe.SignatureVerificationError):
        log.warning("refused a Stripe webhook with a bad signature or body")
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    try:
        # In a thread: it may wait on a row lock or on Stripe (a surplus refund), and the
        # event loop serves every customer's page.
        outcome = await asyncio.to_thread(_handle_event, event)
    except stripe_gateway.GatewayError:
        # Nothing was recorded (the transaction rolled back): Stripe sends the event again.
        log.warning("Stripe event %s not handled: Stripe unreachable", event.get("id"))
        return JSONResponse({"error": "try again"}, status_code=503)
    except DatabaseUnavailable:
        # Rolled back too; Stripe retries for days, and the worker asks Stripe meanwhile.
        log.warning("Stripe event %s not handled: the database is unreachable", event.get("id"))
        return JSONResponse({"error": "try again"}, status_code=503)
    # Mail and SMS go out after the commit and after the answer: never block fulfilment.
    # Run in this request's context so the sending lines keep its request_id.
    task = BackgroundTask(contextvars.copy_context().run, _send_after_commit, outcome.notifications)
    return JSONResponse({"received": True}, background=task if outcome.notifications else None)


# Per customer and of the moment: no cache anywhere may keep or share it.
_PRIVATE = {"Cache-Control": "no-store", "Vary": "Authorization"}


def _refused(error: str, status_code: int) -> JSONResponse:
    """Every refusal of a private endpoint: private too."""
    return JSONResponse({"error": error}, status_code=status_code, headers=_PRIVATE)


@with_request_id
async def dashboard_preload(request: Request) -> Response:
    """The dashboard's first data for the session in `Authorization: Bearer <token>`
    (state/preload.py); 401 when that is no live session, 503 when the database is down.
    The page falls back to the websocket's loader on any answer but 200."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _refused("not logged in", 401)
    try:
        delta = await preload.dashboard_delta(token, request.headers.get("x-heyon-locale", ""))
    except DatabaseUnavailable:
        return _refused("try again", 503)
    if delta is None:
        return _refused("not logged in", 401)
    # Reflex's own encoder: the values reach the page exactly as a websocket delta would.
    return Response(json_dumps(delta), media_type="application/json", headers=_PRIVATE)


def build_api() -> Starlette:
    """The endpoints as a fresh app: Reflex adds its middleware to the one it serves, and a
    Starlette app takes no middleware once started (tests serve their own copy)."""
    return Starlette(
        routes=[
            Route("/api/health", health_endpoint, methods=["GET"]),
            Route(routes.DASHBOARD_PRELOAD, dashboard_preload, methods=["GET"]),
            Route(stripe_gateway.WEBHOOK_PATH, stripe_webhook, methods=["POST"]),
        ]
    )


api = build_api()


async def register_local_stripe_webhook() -> None:
    """Lifespan task: in local mode, point the local Stripe server's webhook at this app."""
    if settings.stripe_mode != "local":
        return
    base = os.environ.get("STRIPE_WEBHOOK_BASE_URL", settings.public_url).rstrip("/")
    try:
        await asyncio.to_thread(
            stripe_gateway.register_local_webhook, base + stripe_gateway.WEBHOOK_PATH
        )
    except Exception:  # noqa: BLE001 - the app runs without it; reconcile still settles
        log.warning("local Stripe server not reachable; webhooks will not arrive")
