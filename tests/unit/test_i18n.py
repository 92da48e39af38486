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


def test_every_audited_admin_action_has_a_name_in_both_languages():
    """The audit log names actions in the reader's language; a new action needs its name."""
    import re
    from pathlib import Path

    from heyon_app.i18n import catalogue

    root = Path(__file__).resolve().parents[2] / "heyon_app"
    sources = "\n".join(p.read_text() for p in root.rglob("*.py"))
    actions = set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', sources))
    actions |= {
        a
        for pair in re.findall(r'action="([a-z_.]+)" if \w+ else "([a-z_.]+)"', sources)
        for a in pair
    }
    assert actions
    for locale in ("zh-CN", "en"):
        missing = {a for a in actions if f"audit.action.{a}" not in catalogue(locale)}
        assert not missing, (locale, missing)


def test_a_made_up_language_reads_chinese_and_is_not_kept_apart():
    """The tab's language is browser storage anyone can set: each odd value is the default
    language, and no copy of the catalogue is kept per value (memory would grow unbounded)."""
    from heyon_app.i18n import catalogue

    for odd in ("", "fr", "EN", "zh-cn", "<script>", "\x00", "x" * 10_000):
        assert catalogue(odd) is catalogue("zh-CN")
        assert translate("common.forbidden", odd) == translate("common.forbidden", "zh-CN")
