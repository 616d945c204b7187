"""The Vietnamese catalogue is complete and its compiled file matches it."""

import gettext
from pathlib import Path

import polib

import wagtail_policycomms

LC_MESSAGES = Path(wagtail_policycomms.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(LC_MESSAGES / "django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_source():
    """A .po edited without `make messages` would ship stale strings."""
    po = polib.pofile(str(LC_MESSAGES / "django.po"))
    with (LC_MESSAGES / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_counts_grouped_by_thousands_in_both_languages():
    """Django's Vietnamese formats set no NUMBER_GROUPING: the one count format must
    group anyway (the Justice report's budget, the dashboard's figures)."""
    from django.utils import translation

    from wagtail_policycomms.formats import format_count

    with translation.override("vi"):
        assert format_count(7500000) == "7.500.000"
        assert format_count(999) == "999"
    with translation.override("en"):
        assert format_count(200000) == "200,000"
