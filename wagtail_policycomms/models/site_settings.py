"""Choices a portal makes per site, in Wagtail admin (Settings → Public consultation)."""

from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from .privacy import (
    BUILT_IN_NOTICE,
    PrivacyNoticeHistoryPanel,
    PrivacyNoticeSettingsForm,
    PrivacyNoticeVersion,
)


class ModerationMode(models.TextChoices):
    PRE = "pre", _("Pre-moderation: nothing is public until a moderator approves it")
    POST = "post", _("Post-moderation: public at once, moderators can hide it")


@register_setting(icon="comment")
class ConsultationSettings(BaseSiteSetting):
    moderation_mode = models.CharField(
        _("moderation"),
        max_length=10,
        choices=ModerationMode.choices,
        default=ModerationMode.PRE,
    )
    require_email_verification = models.BooleanField(
        _("verify commenters' email"),
        default=False,
        help_text=_(
            "A comment enters moderation only after the link emailed to the commenter is clicked."
        ),
    )
    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_(
            "Shown beside the consent box. Leave empty for the built-in notice. Personal data "
            "law (Law 91/2025/QH15, Decree 356/2025/NĐ-CP) asks for the purposes, the "
            "controller and how long data is kept. Saving another text creates a new "
            "version, numbered automatically."
        ),
    )

    base_form_class = PrivacyNoticeSettingsForm  # who saved the notice (models.privacy)

    panels = [
        FieldPanel("moderation_mode"),
        FieldPanel("require_email_verification"),
        MultiFieldPanel(
            [
                FieldPanel("privacy_notice"),
                PrivacyNoticeHistoryPanel(heading=_("Versions of the privacy notice")),
            ],
            heading=_("Consent"),
        ),
    ]

    class Meta:
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultation")

    def save(self, *args, **kwargs):
        """Saves the setting, and a new version of the notice when its text changed."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            created = PrivacyNoticeVersion.record(
                self.site_id,
                self.privacy_notice,
                user=getattr(self, "_privacy_notice_editor", None),
            )
        if created is not None:
            self.__dict__["current_privacy_notice"] = created

    @cached_property
    def current_privacy_notice(self):
        """The version shown now beside the consent box, or None (the built-in notice)."""
        return PrivacyNoticeVersion.objects.current(self.site_id)

    @property
    def privacy_notice_number(self):
        """The number each new consent records (0: the built-in notice)."""
        notice = self.current_privacy_notice
        return notice.number if notice is not None else BUILT_IN_NOTICE


@register_setting(icon="site")
class DepartmentSettings(BaseSiteSetting):
    """Who issues the documents we write (the synthesis report, the report to the
    Department of Justice): the header, place and signature block of an official
    Vietnamese document (Decree 30/2020/NĐ-CP layout). Per site, because one Wagtail
    installation can serve several agencies, and editable, because names, signers and
    provinces change (Hưng Yên and Thái Bình merged in 2025)."""

    parent_agency = models.CharField(
        _("governing body"),
        max_length=200,
        blank=True,
        default="UBND TỈNH HƯNG YÊN",
        help_text=_('The first line of the header, for example "UBND TỈNH HƯNG YÊN".'),
    )
    agency_name = models.CharField(
        _("agency"),
        max_length=200,
        default="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        help_text=_(
            'Printed in capitals under the governing body, for example "SỞ KHOA HỌC VÀ CÔNG NGHỆ".'
        ),
    )
    agency_abbreviation = models.CharField(
        _("agency abbreviation"),
        max_length=30,
        blank=True,
        default="SKHCN",
        help_text=_('Used in document numbers, for example "BC-SKHCN".'),
    )
    place = models.CharField(
        _("place"),
        max_length=100,
        default="Hưng Yên",
        help_text=_('The place before the date, as in "Hưng Yên, ngày 01 tháng 12 năm 2026".'),
    )
    signer_title = models.CharField(
        _("signer's title"),
        max_length=200,
        blank=True,
        default="GIÁM ĐỐC",
        help_text=_(
            'For example "GIÁM ĐỐC"; for two lines, separate them with " / ": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC".'
        ),
    )
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("parent_agency"),
                FieldPanel("agency_name"),
                FieldPanel("agency_abbreviation"),
                FieldPanel("place"),
            ],
            heading=_("Header"),
        ),
        MultiFieldPanel(
            [FieldPanel("signer_title"), FieldPanel("signer_name")],
            heading=_("Signature"),
        ),
    ]

    class Meta:
        verbose_name = _("issuing agency")
        verbose_name_plural = _("issuing agency")
