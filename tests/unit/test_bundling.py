"""The vendor group goes into the vite.config.js Reflex writes, or the build stops."""

from __future__ import annotations

import pytest
from reflex.config import get_config
from reflex.utils import frontend_skeleton

from heyon_app.bundling import with_vendor_group


def test_reflexs_vite_config_gets_the_vendor_group_before_its_own():
    config = with_vendor_group(frontend_skeleton._compile_vite_config(get_config()))
    groups = config[config.index("groups: [") :]
    assert groups.index('name: "vendor"') < groups.index('name: "reflex-env"')
    assert 'tags: ["$initial"]' in groups


def test_a_config_of_another_shape_stops_the_build():
    with pytest.raises(RuntimeError):
        with_vendor_group("export default { build: {} }")
