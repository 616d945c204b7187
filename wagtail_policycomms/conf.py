"""Every ``POLICYCOMMS_*`` setting, with its default, read in one place.

Read a value with ``policycomms_settings.NAME`` (without the prefix). Values are
looked up on each access so ``override_settings`` works in tests.
"""

from django.conf import settings

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
    # Template that the public templates extend. Set it to your portal's own
    # base template; it must define the blocks ``title``, ``extra_css`` and
    # ``content``.
    "BASE_TEMPLATE": "base.html",
    # Draft policies listed per page on a PolicyIndexPage.
    "INDEX_PAGE_SIZE": 10,
}


class PolicyCommsSettings:
    prefix = "POLICYCOMMS_"

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown setting {self.prefix}{name}")
        return getattr(settings, self.prefix + name, DEFAULTS[name])


policycomms_settings = PolicyCommsSettings()
