"""Campaigns: comments whose texts are near-duplicates of one another (issue 15).

A duplicate group (``PublicCommentQuerySet.group_sizes``) holds identical texts, by
``text_hash``. A campaign holds texts that were *nearly* the same: a letter passed
around with a few words swapped and a name appended. Membership is decided by
``wagtail_policycomms.campaigns`` from a similarity signature computed when the
comment is submitted; this model only records the outcome, so that the queue, the
exports and the synthesis report read a campaign's size without counting its members
on every request (ACUS recommendation 2021-1: a campaign is listed once with its true
count).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    consultation = models.ForeignKey(
        "wagtail_policycomms.ConsultationPage",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="campaigns",
    )
    #: The member shown for the campaign, and against which the others' differences
    #: are highlighted: the first comment that formed it, unless a moderator chose.
    representative = models.ForeignKey(
        "wagtail_policycomms.PublicComment",
        verbose_name=_("representative comment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: Members, kept by ``wagtail_policycomms.campaigns`` in the same transaction
    #: that adds or removes one (an ``F()`` update, never a recount per request).
    size = models.PositiveIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-size", "pk"]
        indexes = [
            models.Index(fields=["consultation", "-size"], name="pc_campaign_size"),
        ]

    def __str__(self):
        return _("Campaign %(id)s (%(size)s comments)") % {"id": self.pk, "size": self.size}


class CommentSignature(models.Model):
    """A comment's similarity signature (``campaigns.signature.minhash``), kept so that
    later comments are compared with it without reading its text again, and the
    campaign the comment is in. Written only by ``wagtail_policycomms.campaigns``
    (``grouping`` joins, ``membership`` takes out); a comment too short for a signature
    has none, and is in no campaign."""

    #: No database constraint on the comment either (nor on ``CampaignBandKey.comment``):
    #: PostgreSQL checks such a key at commit by locking the comment's row (``FOR KEY
    #: SHARE``), which writes to every comment regrouping reads, the table grouping
    #: otherwise never writes. Dropping both checks took 7% off regrouping 100,000
    #: comments (docs/campaigns.md). Comments are deleted through Django, whose
    #: ``CASCADE`` deletes their signatures and band keys.
    comment = models.OneToOneField(
        "wagtail_policycomms.PublicComment",
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="campaign_signature",
        db_constraint=False,
    )
    #: ``signature.BINS`` unsigned 32-bit values, little-endian (256 bytes).
    minhash = models.BinaryField(_("signature"))
    #: The comment's near-duplicate campaign, if any. Membership lives here, not on the
    #: comment: regrouping writes it with the signature (one COPY) instead of updating
    #: the comments table, whose many indexes made that UPDATE two thirds of the time.
    #: A comment without a signature (too short) is in no campaign. Read through
    #: ``PublicCommentQuerySet.in_campaign`` / ``in_any_campaign`` / ``with_campaign``.
    #: No database constraint: its per-row check at commit (a key-share lock of the same
    #: campaign row for every member) cost regrouping 0.18 s per 20,000 members, 8% of
    #: its time (docs/campaigns.md). Campaigns are deleted only through Django, which
    #: clears their members (``SET_NULL``); the writers (``campaigns.grouping``) leave a
    #: campaign that disappeared while they grouped.
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_signatures",
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("comment signature")
        verbose_name_plural = _("comment signatures")

    def __str__(self):
        return str(self.comment_id)


class CampaignBandKey(models.Model):
    """One LSH band key of a comment that later comments are compared with: a campaign's
    representative and first members, and comments in no campaign. The lookup of a new
    comment's candidates is one indexed ``key IN (...)`` query; the key includes the
    consultation, so there is no consultation column to filter on."""

    key = models.BigIntegerField(_("key"))
    comment = models.ForeignKey(
        "wagtail_policycomms.PublicComment",
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,  # as ``CommentSignature.comment``
    )

    class Meta:
        verbose_name = _("campaign band key")
        verbose_name_plural = _("campaign band keys")
        indexes = [
            # Index-only lookup of the candidates' ids by key.
            models.Index(fields=["key", "comment"], name="pc_campaign_band_key"),
        ]

    def __str__(self):
        return f"{self.key} → {self.comment_id}"
