"""The one translation helper for components: every visible string goes through `t`."""

from __future__ import annotations

import reflex as rx

from heyon_app.state.base import AppState


def t(key: str | rx.Var[str]) -> rx.Var:
    """The text for a message key; the key may itself be a state var chosen at run time."""
    return AppState.m[key]
