"""Every ``POLICYCOMMS_*`` setting, with its default, read in one place.

Read a value with ``policycomms_settings.NAME`` (without the prefix). Values are
looked up on each access so ``override_settings`` works in tests.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    # Shortest consultation period, in days, before the editor is warned.
    # Law 64/2025/QH15 changed the minimum periods (30 days for policies,
    # 20 for drafts, to be verified against the official text), so it is a
    # setting rather than a constant. A shorter period is allowed but warned.
    "MIN_CONSULTATION_DAYS": 30,
    # Time zone in which consultation dates are shown and entered dates are
    # read. Status is computed from timezone-aware instants, so this only
    # affects display; it is not the server clock.
    "TIME_ZONE": "Asia/Ho_Chi_Minh",
    # strftime formats for dates and date-times on public pages.
    "DATE_FORMAT": "%d/%m/%Y",
    "DATETIME_FORMAT": "%H:%M %d/%m/%Y",
    # Language of the pages' content (titles, draft text, comments), marked with a
    # ``lang`` attribute on the public pages whatever the visitor's interface language,
    # so a screen reader speaks Vietnamese text with a Vietnamese voice. A BCP 47 tag.
    # With WAGTAIL_I18N_ENABLED the page's locale decides instead. Not LANGUAGE_CODE:
    # that is the interface's default (Django's own default is "en-us"), while drafts
    # put out for comment are in Vietnamese whatever the portal's interface.
    "CONTENT_LANGUAGE": "vi",
    # Template that the public templates extend. Set it to your portal's own
    # base template; it must define the blocks ``title``, ``extra_css`` and
    # ``content``.
    "BASE_TEMPLATE": "base.html",
    # Draft policies listed per page on a PolicyIndexPage.
    "INDEX_PAGE_SIZE": 10,
    # --- Public comments --------------------------------------------------------------
    # Length limits of a comment's text, in characters, after trimming.
    "COMMENT_MIN_LENGTH": 10,
    "COMMENT_MAX_LENGTH": 5000,
    # Published comments shown per page on a consultation page.
    "COMMENTS_PAGE_SIZE": 20,
    # The first pages of published comments are numbered ("Page 3 of 15,000");
    # beyond this many, "Older comments" links continue from the last comment
    # shown, which costs the same at any depth (an OFFSET reads every skipped row).
    "COMMENTS_NUMBERED_PAGES": 10,
    # "What changed and why" (the draft's changes/ page) shows, beside each changed
    # article, at most this many of the earlier round's comments on it (accepted ones
    # first) and links to the full list: the page stays short and costs the same
    # handful of queries whatever the number of comments.
    "CHANGES_COMMENTS_PER_ARTICLE": 5,
    # Comment counts (the consultation page's received/published, the index page,
    # the dashboard) are cached this many seconds in the "default" cache. Moderation
    # and new comments update them at once; other writers (bulk loads, deletions)
    # show within this time. 0 counts on every request.
    "COUNTS_CACHE_SECONDS": 60,
    # A moderation action on a duplicate group larger than this many comments runs as
    # a background task (Django's tasks API), this many comments per transaction, each
    # committed before the next: no lock is held for minutes, and an interrupted pass
    # is finished by running the same action again.
    "MODERATION_BATCH_SIZE": 2000,
    # Near-duplicate campaigns (docs/campaigns.md): a new comment joins a campaign when
    # the estimated Jaccard similarity of its word pairs with the campaign's
    # representative is at least this (0 to 1; 1.0 would accept only identical word
    # pairs). 0.45 was chosen by measurement on generated campaign letters: variants of
    # one letter (words swapped, a name and a sentence appended) score 0.45 to 0.8
    # with each other, distinct comments on the same subject rarely above 0.3. Lower
    # gathers more loosely edited copies and more unrelated comments; None turns the
    # grouping of new comments off.
    "CAMPAIGN_SIMILARITY": 0.45,
    # Prefix of receipt codes such as GY-2026-000123 ("góp ý").
    "RECEIPT_PREFIX": "GY",
    # Attachments: how many, how large (MB each) and which kinds. Kinds are checked
    # by content (magic bytes), not only by the file name's extension.
    "MAX_ATTACHMENTS": 3,
    "MAX_ATTACHMENT_MB": 10,
    "ATTACHMENT_KINDS": ["pdf", "doc", "docx", "odt", "xls", "xlsx", "jpg", "png"],
    # Where attachments are stored: the alias of an entry in Django's STORAGES, or
    # None for a private folder (ATTACHMENT_ROOT, by default "policycomms_private"
    # beside MEDIA_ROOT). Never a location the web server serves.
    "ATTACHMENT_STORAGE": None,
    "ATTACHMENT_ROOT": None,
    # Abuse protection. A post sooner than FORM_MIN_SECONDS after the form was
    # loaded, or later than FORM_MAX_AGE_HOURS, is refused.
    "FORM_MIN_SECONDS": 3,
    "FORM_MAX_AGE_HOURS": 24,
    # Rate limits: at most N comments per window, per IP address and per email.
    # Counted in Django's cache ("default" alias unless RATE_LIMIT_CACHE is set);
    # use a shared cache (Redis, Memcached, database) when running several processes.
    "RATE_LIMIT_IP": "10/h",
    "RATE_LIMIT_EMAIL": "5/h",
    "RATE_LIMIT_CACHE": "default",
    # A self-hosted arithmetic question on the comment form. No foreign service:
    # those would send commenters' data abroad.
    "CAPTCHA": False,
    # IP addresses are personal data: "truncate" keeps the network part (/24 for
    # IPv4, /48 for IPv6), "hash" keeps a keyed hash, "none" stores nothing.
    "IP_STORAGE": "truncate",
    # Number of reverse proxies in front of the portal that append to
    # X-Forwarded-For. 0 uses REMOTE_ADDR and ignores the header (it can be forged).
    "TRUSTED_PROXY_COUNT": 0,
    # Email verification links expire after this many hours.
    "VERIFICATION_MAX_AGE_HOURS": 72,
    # The receipt page link (shown once, after submitting) works this long.
    "RECEIPT_LINK_MAX_AGE_HOURS": 24,
    # From address of receipt and verification emails (DEFAULT_FROM_EMAIL if None).
    "FROM_EMAIL": None,
    # --- Email subscriptions to new consultations (docs/subscriptions.md) --------------
    # The confirmation link of a new subscription (double opt-in) works this many hours;
    # unconfirmed subscriptions older than this are deleted by
    # policycomms_notify_subscribers, so we keep no address its owner never confirmed.
    "SUBSCRIPTION_CONFIRM_HOURS": 72,
    # policycomms_notify_subscribers announces consultations that opened within this many
    # days: a new subscriber, or a database restored from a backup, is not sent a flood
    # of announcements of rounds that opened long ago.
    "SUBSCRIPTION_ANNOUNCE_DAYS": 7,
    # --- Personal data (docs/privacy.md) -------------------------------------------------
    # Law 91/2025/QH15: personal data is deleted once its purpose ends. A comment's
    # contact data (email, phone, address, IP address, browser, and a name the person did
    # not allow to be published) serves receiving and answering it; this many whole days
    # after its consultation closed, policycomms_purge_personal_data removes it and keeps
    # the comment (part of the consultation's dossier). The department sets it from its
    # records-retention rules; 365 is a placeholder, not a legal period.
    "PERSONAL_DATA_RETENTION_DAYS": 365,
    # Whether that purge also deletes the comments' attachments (files and rows). False:
    # an attachment is part of what the person submitted, kept with the comment's text.
    "RETENTION_DELETE_ATTACHMENTS": False,
    # --- Data-subject requests (docs/data-requests.md) ---------------------------------
    # Law 91/2025/QH15 and Decree 356/2025/ND-CP (per summaries, to be verified against the
    # official text): a data subject's request is acknowledged within 2 working days
    # (Monday to Friday; public holidays are not counted out) and completed within 15
    # days of its receipt. Settings, not constants, until the periods are verified.
    "DSR_ACKNOWLEDGE_DAYS": 2,
    "DSR_COMPLETE_DAYS": 15,
    # --- Moderation -------------------------------------------------------------------
    # Reasons a moderator picks from when rejecting a comment: (code, label). The
    # code is stored; keep codes stable when relabelling.
    "REJECTION_REASONS": [
        ("off_topic", _("Not about the draft")),
        ("offensive", _("Offensive or abusive language")),
        ("personal_data", _("Discloses other people's personal data")),
        ("state_secret", _("Touches on state secrets")),
        ("advertising", _("Advertising")),
        ("other", _("Other")),
    ],
    # --- Exports ----------------------------------------------------------------------
    # A queue export of more rows than this is written by the tasks worker instead of
    # during the request: a million-row XLSX takes minutes, longer than a proxy waits
    # for a response. The moderator gets a page with its progress, then a download link
    # and an email. 0 or None: every export is streamed during the request.
    "EXPORT_TASK_THRESHOLD": 20000,
    # Hours a file written by the worker can be downloaded. It holds comments (and
    # personal data, for those allowed): policycomms_expire_exports (hourly, from cron)
    # deletes it afterwards.
    "EXPORT_FILE_HOURS": 72,
    # --- The plan, its assignments and reports -------------------------------------------
    # Assignments due within this many days are "due soon" (dashboard, listing filter).
    "DUE_SOON_DAYS": 14,
    # policycomms_send_reminders: remind the lead unit this many days before an
    # assignment's due date (and every day once overdue), and the drafting unit
    # this many days before a consultation closes.
    "ASSIGNMENT_REMINDER_DAYS": 7,
    "CONSULTATION_REMINDER_DAYS": 3,
    # The plan's headline target: the share of policies with a major social impact
    # that are communicated (Decision 407/QĐ-TTg sets 100%).
    "COMPLIANCE_TARGET_PERCENT": 100,
    # --- Publishing through review ------------------------------------------------------
    # Who approves a draft-policy page before it is published: the key of one of the
    # package's groups (permissions.GROUPS) or the name of another Django group.
    # policycomms_setup_groups gives that group publish rights on each PolicyIndexPage
    # and makes it the reviewer of the "Duyệt dự thảo chính sách" workflow assigned to
    # the section; drafting editors, who may add and change but not publish, submit to
    # it. The default is the moderators (the Information Centre): the plan makes them
    # the ones who post content on the portal, and they already hold publish rights on
    # the section. None: no workflow is set up (the portal manages its own).
    "REVIEWER_GROUP": "moderators",
}


class PolicyCommsSettings:
    prefix = "POLICYCOMMS_"

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown setting {self.prefix}{name}")
        return getattr(settings, self.prefix + name, DEFAULTS[name])


policycomms_settings = PolicyCommsSettings()


def local_zone():
    """The department's time zone (``POLICYCOMMS_TIME_ZONE``) as a tzinfo."""
    return ZoneInfo(policycomms_settings.TIME_ZONE)


def content_language(page=None):
    """The language of a page's content, for its ``lang`` attribute: the page's locale
    when Wagtail's internationalisation is on, else ``POLICYCOMMS_CONTENT_LANGUAGE``."""
    if page is not None and getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        locale = getattr(page, "locale", None)
        if locale is not None:
            return locale.language_code
    return policycomms_settings.CONTENT_LANGUAGE
