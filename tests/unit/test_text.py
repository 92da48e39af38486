"""`t` compiles both languages into the page; no state var carries catalogue text."""

from __future__ import annotations

import json

import pytest

from heyon_app.components.text import MODULE_FILE, module_source, t
from heyon_app.i18n import catalogue
from heyon_app.state.base import AppState


def test_a_static_key_compiles_both_languages_picked_by_locale():
    js = str(t("dash.chart_data"))
    for locale in ("zh-CN", "en"):
        assert json.dumps(catalogue(locale)["dash.chart_data"]) in js
    assert "locale" in js


def test_an_unknown_static_key_fails_the_build():
    with pytest.raises(KeyError):
        t("no.such.key")


def test_a_run_time_key_indexes_the_compiled_catalogue_module():
    var = t("status." + AppState.user_role)
    imports = var._get_all_var_data().imports
    assert any(MODULE_FILE in library for library, _ in imports)
    body = module_source().split("=", 1)[1].strip().rstrip(";")
    assert json.loads(body) == {"zh-CN": catalogue("zh-CN"), "en": catalogue("en")}


def test_no_state_var_holds_the_catalogue():
    assert "m" not in AppState.computed_vars and "m" not in AppState.base_vars
