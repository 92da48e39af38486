"""The one translation helper for components: every visible string goes through `t`.

Both languages are compiled into the page, and the browser picks one by `AppState.locale`:
no tab's state carries catalogue text, so setting the language sends a few bytes, not the
catalogue. A key known when the page is compiled becomes the two strings beside each other;
a key chosen at run time (a status from a row, an error key) indexes one JS module holding
the whole catalogue, written under assets/ when this module is imported.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import VarData
from reflex_base.utils.imports import ImportVar

from heyon_app.i18n import catalogue
from heyon_app.settings import PROJECT_ROOT
from heyon_app.state.base import AppState

# Generated, not committed (see .gitignore): Reflex copies assets/ into the built frontend.
MODULE_FILE = "heyon_messages.js"
_MODULE_NAME = "heyonMessages"


def module_source() -> str:
    """The JS module both languages of the catalogue live in, keyed by locale."""
    both = {"zh-CN": catalogue("zh-CN"), "en": catalogue("en")}
    body = json.dumps(both, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"export const {_MODULE_NAME} = {body};\n"


def _write_module() -> None:
    """Write the module where Reflex compiles from (the app root), only when it changed."""
    assets = PROJECT_ROOT / "assets"
    if not assets.is_dir():
        return
    target = assets / MODULE_FILE
    source = module_source()
    if not target.exists() or target.read_text(encoding="utf-8") != source:
        target.write_text(source, encoding="utf-8")


# At import, before Reflex compiles the pages and copies assets/ into the frontend.
_write_module()


def _is_english() -> rx.Var[bool]:
    # Anything but "en" shows zh-CN, as the server-side lookup does.
    return AppState.locale == "en"


def t(key: str | rx.Var[str]) -> rx.Var[str]:
    """The text for a message key; the key may itself be a state var chosen at run time."""
    if isinstance(key, str):
        # A typo here fails the build instead of showing an empty label.
        zh, en = catalogue("zh-CN")[key], catalogue("en")[key]
        return rx.cond(_is_english(), en, zh).to(str)
    locale = _is_english()
    key_var = rx.Var.create(key)
    return rx.Var(
        _js_expr=f'{_MODULE_NAME}[({locale}) ? "en" : "zh-CN"][{key_var}]',
        _var_type=str,
        _var_data=VarData.merge(
            locale._get_all_var_data(),
            key_var._get_all_var_data(),
            VarData(imports={f"$/public/{MODULE_FILE}": [ImportVar(tag=_MODULE_NAME)]}),
        ),
    ).to(str)
