"""The only place that changes a comment's status.

Every change is one conditional UPDATE: it names the statuses it expects to
find, so when two people act on the same comment at once the second one
changes nothing and is told so, instead of overwriting the first.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CommentStatus, ModerationMode, PublicComment


class StatusConflict(Exception):
    """The comment was no longer in the expected status: someone else acted first."""

    def __init__(self, comment, expected):
        self.comment = comment
        self.expected = expected
        super().__init__(
            _("Comment %(code)s has already been handled by someone else.")
            % {"code": comment.receipt_code}
        )


def initial_status(site_settings):
    """Status of a new comment, from the site's verification and moderation choices."""
    if site_settings.require_email_verification:
        return CommentStatus.UNVERIFIED
    return status_after_verification(site_settings)


def status_after_verification(site_settings):
    if site_settings.moderation_mode == ModerationMode.POST:
        return CommentStatus.APPROVED
    return CommentStatus.PENDING


def _transition(comments, to_status, expected, **extra):
    return comments.filter(status__in=expected).update(
        status=to_status, status_changed_at=timezone.now(), **extra
    )


@transaction.atomic
def verify_email(comment, site_settings):
    """Move an unverified comment into moderation (or publish it, in post-moderation).

    Returns False when it was already verified (a second click on the link).
    """
    to_status = status_after_verification(site_settings)
    changed = _transition(
        PublicComment.objects.filter(pk=comment.pk),
        to_status,
        [CommentStatus.UNVERIFIED],
        verified_at=timezone.now(),
    )
    if changed:
        comment.refresh_from_db(fields=["status", "status_changed_at", "verified_at"])
    return bool(changed)
