"""What the customer sees when an event fails in a way no handler foresaw (the database
gone in the middle of an event, a bug): a toast in the tab's language saying nothing was
done and to try again, where Reflex shows "An error occurred. Contact the website
administrator." in English. The error goes to the log, with the event's request id."""

from __future__ import annotations

import json
import logging

import reflex as rx
from reflex_base.event import EventSpec
from reflex_components_sonner.toast import toast

from heyon_app.i18n import catalogue
from heyon_app.state.base import LOCALE_KEY

log = logging.getLogger(__name__)


def in_tab_language(key: str) -> rx.Var[str]:
    """The message `key` in the language the browser shows: the server does not know the
    tab when Reflex hands it the exception, the browser does."""
    zh, en = json.dumps(catalogue("zh-CN")[key]), json.dumps(catalogue("en")[key])
    return rx.Var(
        _js_expr=f"(localStorage.getItem({json.dumps(LOCALE_KEY)}) === 'en' ? {en} : {zh})",
        _var_type=str,
    )


def on_backend_exception(exception: Exception) -> EventSpec:
    log.error(
        "event failed: %s",
        type(exception).__name__,
        exc_info=(type(exception), exception, exception.__traceback__),
    )
    return toast(
        in_tab_language("common.failed"),
        level="error",
        description=in_tab_language("common.failed_hint"),
        position="top-center",
        id="backend_error",
        fallback_to_alert=True,
    )
