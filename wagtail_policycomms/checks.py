"""System checks: the setup the package needs, caught at start-up rather than at the first comment."""

import difflib
import re
from decimal import Decimal
from zoneinfo import ZoneInfoNotFoundError

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from .conf import DEFAULTS, local_zone, policycomms_settings

#: Cache backends whose counts live in one process: with several workers or
#: servers, each would let through its own allowance.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def check_setup(app_configs, **kwargs):
    errors = []
    if not apps.is_installed("wagtail.contrib.settings"):
        errors.append(
            checks.Error(
                '"wagtail.contrib.settings" must be in INSTALLED_APPS.',
                hint="The moderation mode and privacy notice are Wagtail site settings.",
                id="wagtail_policycomms.E001",
            )
        )
    try:
        reverse("wagtail_policycomms:receipt", args=["x"])
    except NoReverseMatch:
        errors.append(
            checks.Error(
                "The package's URLs are not mounted.",
                hint='Add path("policycomms/", include("wagtail_policycomms.urls")) to your '
                "URLconf, before Wagtail's own URLs. Comment receipts and email "
                "verification links live there.",
                id="wagtail_policycomms.E002",
            )
        )
    errors.extend(check_settings())
    errors.extend(check_rate_limit_cache())
    errors.extend(check_document_serving())
    return errors


def _has_local_path(storage):
    try:
        storage.path("documents/x")
    except NotImplementedError:
        return False
    return True


def check_document_serving():
    """W003: restricted documents (``restricted``) are refused by Wagtail's serve view
    (``before_serve_document``). Linked straight to the storage ("direct"), their files
    never pass through it; redirected to a storage whose URLs are public (no signed,
    expiring URLs), anyone given the storage URL keeps it."""
    from wagtail.documents import get_document_model

    method = getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None)
    storage = get_document_model()._meta.get_field("file").storage
    if method is None:  # Wagtail's default: redirect for a storage without local files
        method = "serve_view" if _has_local_path(storage) else "redirect"
    if method == "direct":
        reason = (
            'WAGTAILDOCS_SERVE_METHOD is "direct": document links point at the storage, so '
            "restricted documents (state secrets) cannot be refused to the public."
        )
    elif method == "redirect" and (
        getattr(storage, "querystring_auth", True) is False
        or getattr(storage, "default_acl", None) in ("public-read", "public-read-write")
    ):
        reason = (
            "Documents are redirected to a storage whose URLs are public: a restricted "
            "document's storage URL, once given, can be read by anyone."
        )
    else:
        return []
    return [
        checks.Warning(
            reason,
            hint='Set WAGTAILDOCS_SERVE_METHOD = "serve_view", or "redirect" to private '
            "storage with signed, expiring URLs (see the restricted content guide).",
            id="wagtail_policycomms.W003",
        )
    ]


def check_rate_limit_cache():
    """W001: rate limits counted per process in production multiply by the number of workers.

    Measured: a limit of 10 per hour let 39 comments through with 4 gunicorn workers
    on local-memory caches. (A DummyCache counts nothing at all.)
    """
    if settings.DEBUG:
        return []
    alias = policycomms_settings.RATE_LIMIT_CACHE
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            f'The rate-limit cache "{alias}" ({backend.rsplit(".", 1)[-1]}) is not shared '
            "between processes: each worker counts on its own, so the limits multiply by "
            "the number of workers and servers.",
            hint="Use a shared cache for POLICYCOMMS_RATE_LIMIT_CACHE, such as Django's "
            '"django.core.cache.backends.redis.RedisCache" (see the deployment guide).',
            id="wagtail_policycomms.W001",
        )
    ]


# --- POLICYCOMMS_* values ---------------------------------------------------------------
#
# A value the package cannot use fails `manage.py check` (and so `migrate` and
# `runserver`) with the setting's name, rather than the first citizen's comment with a
# 500 or, worse, a limit that silently does nothing. Values read from the environment
# arrive as text: "10" is not a number, and is reported.

#: Whole numbers of at least 1: a page, a batch or a limit of zero (or less) cannot work.
POSITIVE_INTEGERS = (
    "INDEX_PAGE_SIZE",
    "COMMENTS_PAGE_SIZE",
    "COMMENTS_NUMBERED_PAGES",
    "MODERATION_BATCH_SIZE",
    "MAX_ATTACHMENTS",
    "COMMENT_MAX_LENGTH",
)
#: Sizes and durations above zero; a fraction is allowed (0.5 MB, 1.5 hours).
POSITIVE_NUMBERS = (
    "MAX_ATTACHMENT_MB",
    "FORM_MAX_AGE_HOURS",
    "VERIFICATION_MAX_AGE_HOURS",
    "RECEIPT_LINK_MAX_AGE_HOURS",
    "SUBSCRIPTION_CONFIRM_HOURS",
    "EXPORT_FILE_HOURS",
)
#: Whole numbers where 0 has a meaning (no minimum, no cache, no proxy, today).
NON_NEGATIVE_INTEGERS = (
    "MIN_CONSULTATION_DAYS",
    "COMMENT_MIN_LENGTH",
    "COUNTS_CACHE_SECONDS",
    "FORM_MIN_SECONDS",
    "TRUSTED_PROXY_COUNT",
    "DUE_SOON_DAYS",
    "ASSIGNMENT_REMINDER_DAYS",
    "CONSULTATION_REMINDER_DAYS",
    "SUBSCRIPTION_ANNOUNCE_DAYS",
    "EXPORT_TASK_THRESHOLD",
    "PERSONAL_DATA_RETENTION_DAYS",
    "DSR_ACKNOWLEDGE_DAYS",
    "DSR_COMPLETE_DAYS",
)
#: Of those, the ones the package reads as ``value or 0``.
NONE_MEANS_ZERO = ("COUNTS_CACHE_SECONDS", "TRUSTED_PROXY_COUNT", "EXPORT_TASK_THRESHOLD")
#: strftime formats: any non-empty text.
FORMATS = ("DATE_FORMAT", "DATETIME_FORMAT")

#: A receipt code is PREFIX-YYYY-NNNNNN in a 32-character column, past a million a year too.
RECEIPT_PREFIX_MAX_LENGTH = 16
_RECEIPT_PREFIX_RE = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")
#: PublicComment.moderation_reason stores a rejection reason's code.
REJECTION_CODE_MAX_LENGTH = 50


def _setting(name):
    return f"POLICYCOMMS_{name}"


def _is_number(value, whole=False):
    if isinstance(value, bool):  # True is an int to Python, not to a person
        return False
    kinds = (int,) if whole else (int, float, Decimal)
    return isinstance(value, kinds)


def _error(message, id, hint=None):
    return checks.Error(message, hint=hint, id=f"wagtail_policycomms.{id}")


def check_settings(app_configs=None, **kwargs):
    """E010–E022, W002: every POLICYCOMMS_* value the package cannot use, by name."""
    errors = []
    errors.extend(_check_numbers())
    errors.extend(_check_rate_limits())
    errors.extend(_check_attachment_kinds())
    errors.extend(_check_choices())
    errors.extend(_check_text())
    errors.extend(_check_rejection_reasons())
    errors.extend(_check_pairs())
    errors.extend(_check_unknown_names())
    return errors


def _check_numbers():
    errors = []
    for name in POSITIVE_INTEGERS + POSITIVE_NUMBERS:
        value = getattr(policycomms_settings, name)
        whole = name in POSITIVE_INTEGERS
        if not (_is_number(value, whole=whole) and value > 0):
            wanted = "a whole number of at least 1" if whole else "a number above 0"
            errors.append(
                _error(
                    f"{_setting(name)} must be {wanted}; got {value!r}.",
                    "E014",
                    hint=f"The default is {DEFAULTS[name]!r}.",
                )
            )
    for name in NON_NEGATIVE_INTEGERS:
        value = getattr(policycomms_settings, name)
        if value is None and name in NONE_MEANS_ZERO:
            continue
        if not (_is_number(value, whole=True) and value >= 0):
            errors.append(
                _error(
                    f"{_setting(name)} must be a whole number of 0 or more; got {value!r}.",
                    "E015",
                    hint=f"The default is {DEFAULTS[name]!r}.",
                )
            )
    target = policycomms_settings.COMPLIANCE_TARGET_PERCENT
    if not (_is_number(target) and 0 <= target <= 100):
        errors.append(
            _error(
                "POLICYCOMMS_COMPLIANCE_TARGET_PERCENT must be a percentage between 0 and "
                f"100; got {target!r}.",
                "E017",
                hint="Decision 407/QĐ-TTg sets 100.",
            )
        )
    return errors


def _check_rate_limits():
    """E010 through antispam.parse_rate, the parser the limits use; E011 for the cache."""
    from .antispam import parse_rate

    errors = []
    for name in ("RATE_LIMIT_IP", "RATE_LIMIT_EMAIL"):
        try:
            parse_rate(getattr(policycomms_settings, name), _setting(name))
        except ImproperlyConfigured as error:
            errors.append(_error(str(error), "E010"))
    alias = policycomms_settings.RATE_LIMIT_CACHE
    if alias not in settings.CACHES:
        errors.append(
            _error(
                f"POLICYCOMMS_RATE_LIMIT_CACHE is {alias!r}, which is not a cache in CACHES "
                f"({', '.join(map(repr, settings.CACHES)) or 'none'}).",
                "E011",
                hint="Name one of the CACHES aliases; the rate limits count there.",
            )
        )
    return errors


def _check_attachment_kinds():
    from .uploads import KINDS

    kinds = policycomms_settings.ATTACHMENT_KINDS
    known = ", ".join(f'"{kind}"' for kind in KINDS)
    if isinstance(kinds, str) or not isinstance(kinds, list | tuple | set | frozenset):
        return [
            _error(
                f"POLICYCOMMS_ATTACHMENT_KINDS must be a list of kinds; got {kinds!r}.",
                "E012",
                hint=f'For example ["pdf", "docx"]. Known kinds: {known}.',
            )
        ]
    unknown = [
        kind
        for kind in kinds
        if not isinstance(kind, str) or kind.lower().replace("jpeg", "jpg") not in KINDS
    ]
    if unknown:
        return [
            _error(
                "POLICYCOMMS_ATTACHMENT_KINDS names kinds the package cannot recognise by "
                f"their content: {', '.join(map(repr, unknown))}.",
                "E012",
                hint=f"Known kinds: {known}.",
            )
        ]
    if not kinds:
        return [
            _error(
                "POLICYCOMMS_ATTACHMENT_KINDS is empty: every attachment would be refused.",
                "E012",
                hint=f"Name at least one of {known}.",
            )
        ]
    return []


def _check_choices():
    """E013 through antispam.ip_for_storage, the one reader of the mode; E016 the time zone."""
    from .antispam import ip_for_storage

    errors = []
    try:
        ip_for_storage("")
    except ImproperlyConfigured as error:
        errors.append(_error(str(error), "E013"))
    zone = policycomms_settings.TIME_ZONE
    try:
        local_zone()
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        errors.append(
            _error(
                f"POLICYCOMMS_TIME_ZONE is {zone!r}, which is not a known time zone.",
                "E016",
                hint='Use an IANA name such as "Asia/Ho_Chi_Minh".',
            )
        )
    return errors


def _check_text():
    errors = []
    for name in FORMATS:
        value = getattr(policycomms_settings, name)
        if not (isinstance(value, str) and value.strip()):
            errors.append(
                _error(
                    f"{_setting(name)} must be a strftime format such as "
                    f"{DEFAULTS[name]!r}; got {value!r}.",
                    "E019",
                )
            )
    sender = policycomms_settings.FROM_EMAIL
    if sender is not None and not (isinstance(sender, str) and sender.strip()):
        errors.append(
            _error(
                f"POLICYCOMMS_FROM_EMAIL must be an email address or None; got {sender!r}.",
                "E019",
                hint="None sends from DEFAULT_FROM_EMAIL.",
            )
        )
    prefix = policycomms_settings.RECEIPT_PREFIX
    if not (
        isinstance(prefix, str)
        and len(prefix) <= RECEIPT_PREFIX_MAX_LENGTH
        and _RECEIPT_PREFIX_RE.fullmatch(prefix)
    ):
        errors.append(
            _error(
                f"POLICYCOMMS_RECEIPT_PREFIX must be 1 to {RECEIPT_PREFIX_MAX_LENGTH} letters "
                f"or digits (a hyphen or underscore between them); got {prefix!r}.",
                "E018",
                hint='Receipt codes read PREFIX-2026-000123; the default is "GY" (góp ý).',
            )
        )
    errors.extend(_check_base_template())
    return errors


def _check_base_template():
    name = policycomms_settings.BASE_TEMPLATE
    if not (isinstance(name, str) and name):
        problem = f"must name a template; got {name!r}"
    else:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            problem = f'is "{name}", which no template loader finds'
        except TemplateSyntaxError as error:
            problem = f'is "{name}", which does not compile: {error}'
        else:
            return []
    return [
        _error(
            f"POLICYCOMMS_BASE_TEMPLATE {problem}.",
            "E020",
            hint="The public pages extend it: your portal's base template, with the blocks "
            "title, extra_css and content.",
        )
    ]


def _check_rejection_reasons():
    reasons = policycomms_settings.REJECTION_REASONS
    hint = 'A list of (code, label) pairs, such as [("off_topic", _("Not about the draft"))].'
    if isinstance(reasons, str | bytes) or not isinstance(reasons, list | tuple):
        return [
            _error(f"POLICYCOMMS_REJECTION_REASONS must be a list; got {reasons!r}.", "E021", hint)
        ]
    problems = []
    codes = []
    for reason in reasons:
        if not (isinstance(reason, list | tuple) and len(reason) == 2):
            problems.append(f"{reason!r} is not a (code, label) pair")
            continue
        code = reason[0]
        if not (isinstance(code, str) and 0 < len(code) <= REJECTION_CODE_MAX_LENGTH):
            problems.append(
                f"the code {code!r} is not text of 1 to {REJECTION_CODE_MAX_LENGTH} characters"
            )
        elif code in codes:
            problems.append(f'the code "{code}" is given twice')
        codes.append(code)
    if not reasons:
        problems.append("it is empty, so no comment could be rejected")
    if not problems:
        return []
    return [_error(f"POLICYCOMMS_REJECTION_REASONS: {'; '.join(problems)}.", "E021", hint=hint)]


def _check_pairs():
    """E022: two values that are each fine but cannot both hold."""
    errors = []
    shortest = policycomms_settings.COMMENT_MIN_LENGTH
    longest = policycomms_settings.COMMENT_MAX_LENGTH
    if _is_number(shortest, whole=True) and _is_number(longest, whole=True) and shortest > longest:
        errors.append(
            _error(
                f"POLICYCOMMS_COMMENT_MIN_LENGTH ({shortest}) is more than "
                f"POLICYCOMMS_COMMENT_MAX_LENGTH ({longest}): no comment could be sent.",
                "E022",
            )
        )
    fastest = policycomms_settings.FORM_MIN_SECONDS
    oldest = policycomms_settings.FORM_MAX_AGE_HOURS
    if _is_number(fastest, whole=True) and _is_number(oldest) and fastest >= oldest * 3600:
        errors.append(
            _error(
                f"POLICYCOMMS_FORM_MIN_SECONDS ({fastest}) is not less than "
                f"POLICYCOMMS_FORM_MAX_AGE_HOURS ({oldest} hours): every form would be "
                "refused as too fast or too old.",
                "E022",
            )
        )
    return errors


def _check_unknown_names():
    """W002: a misspelt setting is ignored, and its default silently used."""
    warnings = []
    known = [_setting(name) for name in DEFAULTS]
    for name in dir(settings):
        if name.startswith("POLICYCOMMS_") and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            warnings.append(
                checks.Warning(
                    f"{name} is not a setting of wagtail-policycomms: it is ignored.",
                    hint=f"Did you mean {close[0]}?"
                    if close
                    else "The settings are listed in the configuration guide.",
                    id="wagtail_policycomms.W002",
                )
            )
    return warnings
