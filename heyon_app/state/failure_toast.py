"""What the customer sees when an event fails in a way no handler foresaw (the database
gone in the middle of an event, a bug): a toast in the tab's language saying nothing was
done and to try again, where Reflex shows "An error occurred. Contact the website
administrator." in English. The error goes to the log, with the event's request id."""

from __future__ import annotations

import json
import logging

import reflex as rx
from reflex_base.event import EventSpec, run_script
from reflex_components_sonner.toast import toast_ref

from heyon_app.i18n import catalogue
from heyon_app.state.base import LOCALE_KEY

log = logging.getLogger(__name__)

# One toast however many events fail at once.
TOAST_ID = "backend_error"


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
    title = in_tab_language("common.failed")
    options = (
        f"{{description: {in_tab_language('common.failed_hint')}, "
        f'position: "top-center", id: {json.dumps(TOAST_ID)}}}'
    )
    # The title goes in as sonner's message, not as rx.toast's `title` option: sonner
    # updates a toast whose id is showing with the new message as its title, so a second
    # failure while the first toast shows would leave it with only the hint.
    return run_script(
        f"{toast_ref} ? {toast_ref}.error({title}, {options}) : window.alert({title})"
    )
