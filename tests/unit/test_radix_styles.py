"""Radix's CSS in parts (heyon_app/radix_styles.py): every colour the app gives a component
is imported, and the trim step goes into the PostCSS config Reflex writes, or the build stops."""

from __future__ import annotations

import re
import typing

import pytest
from reflex_base.constants import Dirs, Templates
from reflex_components_radix.themes.base import LiteralAccentColor

from heyon_app.radix_styles import PALETTES, TRIM_STEP, with_trim_step
from heyon_app.settings import PROJECT_ROOT

_PALETTE_NAMES = "|".join(typing.get_args(LiteralAccentColor))
_NAMED = re.compile(rf"""["']({_PALETTE_NAMES})["']""")


def test_every_palette_named_in_the_apps_code_is_imported():
    # A colour given to a component without its palette draws it with no colour at all:
    # a failed payment's badge would not be red. Any quoted palette name counts.
    named = {
        match
        for source in (PROJECT_ROOT / "heyon_app").rglob("*.py")
        for match in _NAMED.findall(source.read_text("utf-8"))
    }
    assert {"red", "green", "amber"} <= named  # the scan itself finds the status colours
    assert named <= set(PALETTES), named - set(PALETTES)


def test_the_trim_step_runs_after_reflexs_postcss_import():
    template = (Templates.Dirs.WEB_TEMPLATE / Dirs.POSTCSS_JS).read_text("utf-8")
    config = with_trim_step(template)
    assert config.index('"postcss-import"') < config.index(f'"./{TRIM_STEP}"')
    assert config.index(f'"./{TRIM_STEP}"') < config.index("autoprefixer")
    # Reflex writes this file once and modifies it on every compile: the step goes in once.
    assert with_trim_step(config) == config
    assert config.count(TRIM_STEP) == 1


def test_a_config_of_another_shape_stops_the_build():
    with pytest.raises(RuntimeError):
        with_trim_step("export default { plugins: [] };")
