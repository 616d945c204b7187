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
