"""Plain HTTP endpoints beside the Reflex app."""

from __future__ import annotations

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from heyon_app.db import session_scope


async def health(_: Request) -> JSONResponse:
    """For load balancers and `make run`: the app answers and its database is reachable."""
    try:
        with session_scope() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure makes the app unhealthy
        return JSONResponse({"status": "db_unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


api = Starlette(routes=[Route("/api/health", health, methods=["GET"])])
