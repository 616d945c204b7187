"""A POLICYCOMMS_* value the package cannot use fails `manage.py check`, by name.

Each case runs Django's real check framework (`call_command("check")` or
`checks.run_checks()`), as `migrate`, `runserver` and a deployment do.
"""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from wagtail_policycomms.conf import DEFAULTS


def problems(prefix="wagtail_policycomms."):
    """The package's messages from a full run of the checks, as (id, message) pairs."""
    return [
        (message.id, message.msg)
        for message in checks.run_checks()
        if message.id and message.id.startswith(prefix)
    ]


def errors():
    return [(id, msg) for id, msg in problems() if ".E" in id]


def test_the_defaults_pass():
    assert errors() == []


def test_call_command_fails_with_the_setting_s_name():
    with (
        override_settings(POLICYCOMMS_IP_STORAGE="keep"),
        pytest.raises(SystemCheckError) as info,
    ):
        call_command("check")
    assert "wagtail_policycomms.E013" in str(info.value)
    assert "POLICYCOMMS_IP_STORAGE" in str(info.value)


# --- Rate limits ------------------------------------------------------------------------


@pytest.mark.parametrize("rate", ["-1/h", "10", "10/w", "ten/h", "0/h", "1.5/h", 10])
@pytest.mark.parametrize("name", ["RATE_LIMIT_IP", "RATE_LIMIT_EMAIL"])
def test_a_malformed_rate_limit_is_an_error(name, rate):
    with override_settings(**{f"POLICYCOMMS_{name}": rate}):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E010"]
    assert f"POLICYCOMMS_{name} must look like" in found[0][1]
    assert repr(rate) in found[0][1]


@pytest.mark.parametrize("rate", [None, "", "0", "3/m", " 100 / d "])
def test_valid_or_disabled_rate_limits_pass(rate):
    with override_settings(POLICYCOMMS_RATE_LIMIT_IP=rate):
        assert errors() == []


def test_an_unknown_rate_limit_cache_is_an_error():
    with override_settings(POLICYCOMMS_RATE_LIMIT_CACHE="limits"):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E011"]
    assert "'limits', which is not a cache in CACHES ('default')" in found[0][1]


# --- Attachments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["pdf", "exe"], "cannot recognise by their content: 'exe'"),
        (["pdf", "svg", 7], "'svg', 7"),
        ("pdf", "must be a list of kinds; got 'pdf'"),
        (None, "must be a list of kinds; got None"),
        ([], "is empty: every attachment would be refused"),
    ],
    ids=["exe", "svg-and-a-number", "a-string", "none", "empty"],
)
def test_unknown_attachment_kinds_are_an_error(kinds, expected):
    with override_settings(POLICYCOMMS_ATTACHMENT_KINDS=kinds):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E012"]
    assert expected in found[0][1]


def test_kinds_are_read_as_the_uploads_read_them():
    """Upper case and "jpeg" are what uploads.allowed_kinds() accepts too."""
    with override_settings(POLICYCOMMS_ATTACHMENT_KINDS=("PDF", "jpeg", "Docx")):
        assert errors() == []


# --- Choices: IP storage, time zone -------------------------------------------------------


@pytest.mark.parametrize("mode", ["keep", "", None, "TRUNCATE"])
def test_an_ip_storage_mode_that_does_not_exist_is_an_error(mode):
    with override_settings(POLICYCOMMS_IP_STORAGE=mode):
        found = errors()
    assert found == [
        (
            "wagtail_policycomms.E013",
            f'POLICYCOMMS_IP_STORAGE must be "truncate", "hash" or "none"; got {mode!r}.',
        )
    ]


@pytest.mark.parametrize("mode", ["truncate", "hash", "none"])
def test_each_ip_storage_mode_passes(mode):
    with override_settings(POLICYCOMMS_IP_STORAGE=mode):
        assert errors() == []


@pytest.mark.parametrize("zone", ["Asia/Hanoi_City", "UTC+7", "", None, "../etc/passwd"])
def test_an_unknown_time_zone_is_an_error(zone):
    with override_settings(POLICYCOMMS_TIME_ZONE=zone):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E016"]
    assert f"POLICYCOMMS_TIME_ZONE is {zone!r}, which is not a known time zone." == found[0][1]


def test_another_real_time_zone_passes():
    with override_settings(POLICYCOMMS_TIME_ZONE="Asia/Bangkok"):
        assert errors() == []


# --- Numbers ----------------------------------------------------------------------------


POSITIVE_WHOLE = [
    "INDEX_PAGE_SIZE",
    "COMMENTS_PAGE_SIZE",
    "COMMENTS_NUMBERED_PAGES",
    "MODERATION_BATCH_SIZE",
    "MAX_ATTACHMENTS",
    "COMMENT_MAX_LENGTH",
]


@pytest.mark.parametrize("value", [0, -5, "20", 2.5, True, None])
@pytest.mark.parametrize("name", POSITIVE_WHOLE)
def test_a_non_positive_or_non_whole_size_is_an_error(name, value):
    with override_settings(**{f"POLICYCOMMS_{name}": value}):
        found = errors()
    assert (
        "wagtail_policycomms.E014",
        f"POLICYCOMMS_{name} must be a whole number of at least 1; got {value!r}.",
    ) in found


@pytest.mark.parametrize(
    "name",
    [
        "MAX_ATTACHMENT_MB",
        "FORM_MAX_AGE_HOURS",
        "VERIFICATION_MAX_AGE_HOURS",
        "RECEIPT_LINK_MAX_AGE_HOURS",
    ],
)
def test_sizes_and_durations_must_be_above_zero_and_may_be_fractions(name):
    with override_settings(**{f"POLICYCOMMS_{name}": 0}):
        assert (
            "wagtail_policycomms.E014",
            f"POLICYCOMMS_{name} must be a number above 0; got 0.",
        ) in errors()
    with override_settings(**{f"POLICYCOMMS_{name}": 1.5}):
        assert errors() == []


@pytest.mark.parametrize(
    "name",
    [
        "MIN_CONSULTATION_DAYS",
        "COMMENT_MIN_LENGTH",
        "COUNTS_CACHE_SECONDS",
        "FORM_MIN_SECONDS",
        "TRUSTED_PROXY_COUNT",
        "DUE_SOON_DAYS",
        "ASSIGNMENT_REMINDER_DAYS",
        "CONSULTATION_REMINDER_DAYS",
    ],
)
def test_counts_of_days_seconds_and_proxies_may_be_zero_but_not_negative(name):
    with override_settings(**{f"POLICYCOMMS_{name}": 0}):
        assert errors() == []
    with override_settings(**{f"POLICYCOMMS_{name}": -1}):
        found = errors()
    assert found == [
        (
            "wagtail_policycomms.E015",
            f"POLICYCOMMS_{name} must be a whole number of 0 or more; got -1.",
        )
    ]


@pytest.mark.parametrize("name", ["COUNTS_CACHE_SECONDS", "TRUSTED_PROXY_COUNT"])
def test_none_is_zero_where_the_package_reads_it_so(name):
    with override_settings(**{f"POLICYCOMMS_{name}": None}):
        assert errors() == []


@pytest.mark.parametrize("value", [-1, 100.5, 150, "100", None])
def test_a_compliance_target_outside_0_to_100_is_an_error(value):
    with override_settings(POLICYCOMMS_COMPLIANCE_TARGET_PERCENT=value):
        found = errors()
    assert found == [
        (
            "wagtail_policycomms.E017",
            "POLICYCOMMS_COMPLIANCE_TARGET_PERCENT must be a percentage between 0 and 100; "
            f"got {value!r}.",
        )
    ]


@pytest.mark.parametrize("value", [0, 80, 99.5, 100])
def test_a_compliance_target_within_0_to_100_passes(value):
    with override_settings(POLICYCOMMS_COMPLIANCE_TARGET_PERCENT=value):
        assert errors() == []


def test_a_minimum_length_above_the_maximum_is_an_error():
    with override_settings(POLICYCOMMS_COMMENT_MIN_LENGTH=600, POLICYCOMMS_COMMENT_MAX_LENGTH=500):
        found = errors()
    assert found == [
        (
            "wagtail_policycomms.E022",
            "POLICYCOMMS_COMMENT_MIN_LENGTH (600) is more than POLICYCOMMS_COMMENT_MAX_LENGTH "
            "(500): no comment could be sent.",
        )
    ]


def test_a_form_that_is_too_fast_until_it_is_too_old_is_an_error():
    with override_settings(POLICYCOMMS_FORM_MIN_SECONDS=3600, POLICYCOMMS_FORM_MAX_AGE_HOURS=1):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E022"]
    assert "every form would be refused" in found[0][1]


# --- Text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "GY 1", "GY-", "Góp-ý", "A" * 17, None, 12])
def test_a_receipt_prefix_that_does_not_fit_a_code_is_an_error(prefix):
    with override_settings(POLICYCOMMS_RECEIPT_PREFIX=prefix):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E018"]
    assert f"got {prefix!r}" in found[0][1]


@pytest.mark.parametrize("prefix", ["GY", "SKHCN-GY", "HY_2", "A" * 16])
def test_a_receipt_prefix_of_letters_digits_and_joiners_passes(prefix):
    with override_settings(POLICYCOMMS_RECEIPT_PREFIX=prefix):
        assert errors() == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("DATE_FORMAT", ""), ("DATETIME_FORMAT", None), ("FROM_EMAIL", ""), ("FROM_EMAIL", 5)],
)
def test_formats_and_the_sender_must_be_text(name, value):
    with override_settings(**{f"POLICYCOMMS_{name}": value}):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E019"]
    assert f"POLICYCOMMS_{name} must be" in found[0][1]


def test_a_base_template_that_does_not_exist_is_an_error():
    with override_settings(POLICYCOMMS_BASE_TEMPLATE="portal/base.html"):
        found = errors()
    assert found == [
        (
            "wagtail_policycomms.E020",
            'POLICYCOMMS_BASE_TEMPLATE is "portal/base.html", which no template loader finds.',
        )
    ]


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        ("off_topic", "must be a list; got 'off_topic'"),
        ([], "it is empty, so no comment could be rejected"),
        ([("spam", "Spam"), ("spam", "Quảng cáo")], 'the code "spam" is given twice'),
        ([("x" * 51, "Too long")], "is not text of 1 to 50 characters"),
        ([("ok", "OK"), "other"], "'other' is not a (code, label) pair"),
    ],
    ids=["a-string", "empty", "twice", "too-long", "not-a-pair"],
)
def test_malformed_rejection_reasons_are_an_error(reasons, expected):
    with override_settings(POLICYCOMMS_REJECTION_REASONS=reasons):
        found = errors()
    assert [id for id, __ in found] == ["wagtail_policycomms.E021"]
    assert expected in found[0][1]


# --- Names ----------------------------------------------------------------------------------


def test_a_misspelt_setting_is_warned_with_the_likely_name():
    with override_settings(POLICYCOMMS_RATE_LIMITS_IP="1/h"):
        warnings = [m for m in checks.run_checks() if m.id == "wagtail_policycomms.W002"]
    assert len(warnings) == 1
    assert warnings[0].msg == (
        "POLICYCOMMS_RATE_LIMITS_IP is not a setting of wagtail-policycomms: it is ignored."
    )
    assert warnings[0].hint == "Did you mean POLICYCOMMS_RATE_LIMIT_IP?"


def test_every_default_passes_its_own_check():
    """Each default, set explicitly, is valid: the checks and conf.DEFAULTS agree."""
    with override_settings(**{f"POLICYCOMMS_{name}": value for name, value in DEFAULTS.items()}):
        ids = {id for id, __ in problems()}
    assert ids <= {"wagtail_policycomms.W001"}  # the tests' per-process cache


def test_migrations_need_nothing_newer_than_wagtail_74():
    """Our migrations run on the lowest supported Wagtail: a dependency on a wagtailcore
    migration that 7.4 lacks (makemigrations picks the newest installed) breaks every
    install there. 0097 is the last migration of wagtailcore in Wagtail 7.4."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    newest_in_74 = 97
    for (app, name), migration in loader.disk_migrations.items():
        if app != "wagtail_policycomms":
            continue
        for dep_app, dep_name in migration.dependencies:
            if dep_app == "wagtailcore" and dep_name[:4].isdigit():
                assert int(dep_name[:4]) <= newest_in_74, (name, dep_name)


# --- Restricted documents and how documents are served (W003) -------------------------------


class PublicBucket:
    """A remote storage of public URLs, as django-storages' S3 with ``querystring_auth``
    off: no local path, a URL for every file."""

    querystring_auth = False

    def __init__(self, **options):
        pass

    def path(self, name):
        raise NotImplementedError

    def url(self, name):
        return f"https://bucket.example/{name}"


class SignedBucket(PublicBucket):
    querystring_auth = True


def document_storage(monkeypatch, storage):
    """Documents on ``storage`` (the file field's storage, as Wagtail reads it)."""
    from wagtail.documents import get_document_model

    field = get_document_model()._meta.get_field("file")
    monkeypatch.setattr(field, "storage", storage)


def w003():
    return [msg for id, msg in problems() if id == "wagtail_policycomms.W003"]


def test_documents_served_by_wagtail_pass():
    assert w003() == []  # the tests' storage: local files, Wagtail's serve view
    with override_settings(WAGTAILDOCS_SERVE_METHOD="serve_view"):
        assert w003() == []


def test_documents_linked_straight_to_the_storage_are_a_warning():
    with override_settings(WAGTAILDOCS_SERVE_METHOD="direct"):
        (message,) = w003()
    assert '"direct"' in message and "restricted documents" in message


def test_documents_redirected_to_public_urls_are_a_warning(monkeypatch):
    document_storage(monkeypatch, PublicBucket())
    (message,) = w003()  # Wagtail's default for a remote storage: redirect
    assert "public" in message
    with override_settings(WAGTAILDOCS_SERVE_METHOD="serve_view"):
        assert w003() == []
    document_storage(monkeypatch, SignedBucket())
    assert w003() == []
