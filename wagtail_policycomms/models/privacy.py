"""The privacy notice of each site, kept as numbered versions (Law 91/2025/QH15).

A consent is worth what the person was told: every comment records the number of the
notice shown beside its consent box (``PublicComment.consent_notice_version``), and
``/policycomms/privacy/<number>/`` shows that text again for as long as the portal runs.

The notice is written in *Settings → Public consultation* (``ConsultationSettings.
privacy_notice``); saving the setting with another text makes version N+1
(``PrivacyNoticeVersion.record``), saving it unchanged makes nothing. Version 0 is the
package's built-in notice (``comments/privacy_notice.html``), what a site shows before
anyone wrote its own; a version whose text was emptied shows the built-in notice too.
Versions are never edited nor deleted by the package.
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel
from wagtail.fields import RichTextField

#: The number of the built-in notice (no version written for the site yet).
BUILT_IN_NOTICE = 0

#: How many times ``record`` tries again when another save took the same number.
RECORD_ATTEMPTS = 3


def same_text(first, second):
    return (first or "").strip() == (second or "").strip()


class PrivacyNoticeVersionQuerySet(models.QuerySet):
    def of_site(self, site_id):
        return self.filter(site_id=site_id)

    def current(self, site_id):
        """The newest version of the site's notice, or None (the built-in notice)."""
        return self.of_site(site_id).order_by("-number").first()


class PrivacyNoticeVersion(models.Model):
    """One text of a site's privacy notice, as it was shown from ``created_at`` on."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("site"),
    )
    number = models.PositiveIntegerField(_("version"))
    body = RichTextField(_("privacy notice"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = PrivacyNoticeVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")
        ordering = ["site", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "number"], name="pc_privacy_notice_site_number"
            ),
        ]

    def __str__(self):
        return _("Privacy notice, version %(number)s") % {"number": self.number}

    @property
    def is_built_in(self):
        """An emptied notice: the site shows the package's built-in text again."""
        return not (self.body or "").strip()

    @classmethod
    def record(cls, site_id, body, user=None):
        """Version N+1 of the site's notice when ``body`` differs from version N.

        Returns the new version, or None when the text is the newest version's (or
        empty while the site has no version: the built-in notice is already number 0).
        Two saves at once cannot take the same number: the newest version is locked
        (``select_for_update`` on PostgreSQL) and the unique constraint on (site,
        number) refuses a duplicate, after which the save reads again and retries.
        """
        for attempt in range(1, RECORD_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    latest = (
                        cls.objects.select_for_update()
                        .of_site(site_id)
                        .order_by("-number")
                        .only("number", "body")
                        .first()
                    )
                    if latest is None and not (body or "").strip():
                        return None
                    if latest is not None and same_text(latest.body, body):
                        return None
                    return cls.objects.create(
                        site_id=site_id,
                        number=(latest.number if latest else BUILT_IN_NOTICE) + 1,
                        body=body or "",
                        created_by=user,
                    )
            except IntegrityError:
                if attempt == RECORD_ATTEMPTS:
                    raise
        return None  # pragma: no cover


class PrivacyNoticeSettingsForm(WagtailAdminModelForm):
    """The settings form: tells the setting who saved it, so the version has an author."""

    def save(self, commit=True):
        self.instance._privacy_notice_editor = getattr(self, "for_user", None)
        return super().save(commit=commit)


class PrivacyNoticeHistoryPanel(Panel):
    """The versions of the site's notice, read-only, under the notice in the settings."""

    @property
    def clean_name(self):
        return super().clean_name or "privacy_notice_history"

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_policycomms/privacy/admin_history.html"

        def is_shown(self):
            return bool(self.instance and self.instance.site_id)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["site_root"] = self.instance.site.root_url
            context["versions"] = list(
                PrivacyNoticeVersion.objects.of_site(self.instance.site_id)
                .select_related("created_by")
                .order_by("-number")
            )
            return context
