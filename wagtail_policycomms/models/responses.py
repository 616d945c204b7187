"""Official answers (tiếp thu, giải trình) to public comments.

One answer covers one or more comments of one consultation, so identical
campaign comments are answered once. A comment has at most one answer: the
link is a foreign key on the comment, set in one UPDATE for a whole group.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    EXPLAINED = "explained", _("Explained, kept as drafted")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class AnswerState(models.TextChoices):
    """Derived from the comment's answer; used by filters and exports."""

    NONE = "none", _("Not answered")
    DRAFT = "draft", _("Answered, not published")
    PUBLISHED = "published", _("Answer published")


class CommentResponse(models.Model):
    consultation = models.ForeignKey(
        "wagtail_policycomms.ConsultationPage",
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="comment_responses",
    )
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    text = models.TextField(
        _("answer"), help_text=_("What was accepted and how, or why the draft is kept.")
    )
    answering_unit = models.ForeignKey(
        "wagtail_policycomms.Unit",
        verbose_name=_("answering unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: Where the next version of the draft carries out what was accepted: the block id
    #: of an article of the draft as revised, shown by "what changed and why".
    implemented_in_article = models.CharField(
        _("implemented in article"),
        max_length=64,
        blank=True,
        help_text=_("The article of the revised draft that carries out this answer, if any."),
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return f"{self.get_disposition_display()}: {self.text[:60]}"
