from __future__ import annotations

import pytest

from heyon_app.services import devices


def test_exact_model_alone_and_needs_a_part_number_when_regions_differ():
    answers = devices.check("iphone 15 pro")
    assert [(a.model, a.result) for a in answers] == [("iPhone 15 Pro", "need_part_number")]


def test_partial_name_lists_every_matching_model():
    models = [a.model for a in devices.check("iphone 15 p")]
    assert models == ["iPhone 15 Plus", "iPhone 15 Pro", "iPhone 15 Pro Max"]


@pytest.mark.parametrize(
    ("part", "result", "region"),
    [
        ("MTP03CH/A", "no", "CH"),  # mainland China
        ("mtp03ll/a", "yes", "LL"),  # USA, typed in lower case
        ("MTP03ZA/A", "yes", "ZA"),
        ("MLJQ3J/A", "yes", "J"),
        ("MTP03CH", "no", "CH"),  # without the "/A"
    ],
)
def test_part_number_decides_region_variants(part, result, region):
    (answer, *_) = devices.check("iPhone 15 Pro", part)
    assert (answer.result, answer.region) == (result, region)


def test_malformed_part_number_is_said_so():
    assert devices.check("iPhone 15 Pro", "A2848")[0].result == "bad_part_number"


def test_models_the_same_everywhere_answer_without_part_number():
    assert devices.check("iPhone 13 mini")[0].result == "yes"
    assert devices.check("iPhone X")[0].result == "no"
    assert devices.check("pixel 8")[0].result == "yes"
    assert devices.check("小米14")[0].result == "no"  # Chinese alias


def test_other_brands_with_a_china_edition_explain_instead_of_asking():
    assert devices.check("P40 Pro")[0].result == "depends_edition"


def test_compact_spelling_and_unknown_models():
    assert devices.check("galaxys24ultra")[0].model == "Galaxy S24 Ultra"
    assert devices.check("Nokia 3310") == []
    assert devices.check("   ") == []


def test_data_file_has_a_default_for_every_model():
    models = devices.load_models()
    assert len(models) > 40
    assert all(isinstance(m.esim, bool) for m in models)
