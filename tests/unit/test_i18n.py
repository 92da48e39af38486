from heyon_app.i18n import _pairs, translate


def test_every_message_has_both_languages():
    for key, (zh, en) in _pairs().items():
        assert zh.strip() and en.strip(), key
        assert zh != en or key in {"app.name"}, f"{key} looks untranslated"


def test_translate_formats_parameters_in_each_language():
    assert translate("auth.throttled", "en", seconds=30) == (
        "Too many attempts. Please try again in 30 seconds."
    )
    assert "30" in translate("auth.throttled", "zh-CN", seconds=30)
    assert translate("no.such.key", "en") == "no.such.key"
