"""Choices a portal makes per site, in Wagtail admin (Settings → Public consultation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField


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
            "controller and how long data is kept."
        ),
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=50,
        default="2026-01",
        help_text=_("Change it whenever the notice changes: each consent records it."),
    )

    panels = [
        FieldPanel("moderation_mode"),
        FieldPanel("require_email_verification"),
        MultiFieldPanel(
            [FieldPanel("privacy_notice"), FieldPanel("privacy_notice_version")],
            heading=_("Consent"),
        ),
    ]

    class Meta:
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultation")
