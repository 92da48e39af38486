"""The audit trail of admin actions: who did what to which record, before and after."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from heyon_app.models import AuditLog, User


def record(
    session: Session,
    *,
    actor: User,
    action: str,
    target: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
) -> AuditLog:
    """One entry, in the caller's transaction, so the change and its record land together.

    `target` names the record ("promotion:3"); `before`/`after` hold only the fields the
    action changed.
    """
    entry = AuditLog(
        actor_user_id=actor.id,
        action=action,
        target=target,
        before=json.dumps(before, ensure_ascii=False, sort_keys=True, default=str)
        if before
        else "",
        after=json.dumps(after, ensure_ascii=False, sort_keys=True, default=str) if after else "",
        detail=detail[:2000],
    )
    session.add(entry)
    return entry


def change(
    session: Session,
    *,
    actor: User,
    obj: Any,
    values: dict[str, Any],
    action: str,
    target: str,
    detail: str = "",
) -> bool:
    """Set `values` on `obj` and record the fields that really changed (before and after)
    in one entry; records nothing and returns False when nothing changed."""
    before, after = {}, {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(obj, name, value)
    if not after:
        return False
    session.add(obj)
    record(
        session,
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
        detail=detail,
    )
    return True
