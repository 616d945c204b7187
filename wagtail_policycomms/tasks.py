"""Background work through Django's tasks API (the django_tasks backport Wagtail uses).

Immediate by default; a portal with a worker sets ``TASKS`` to a real backend.
Tasks take ids, not objects, and read the comment afresh.
"""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from . import moderation
from .conf import policycomms_settings
from .models import PublicComment


def _send(comment, template, context):
    context = {"comment": comment, "consultation": comment.consultation, **context}
    with translation.override(translation.get_language() or "vi"):
        subject = " ".join(
            render_to_string(f"wagtail_policycomms/emails/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"wagtail_policycomms/emails/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=policycomms_settings.FROM_EMAIL,
        to=[comment.email],
    )
    message.send()


@task()
def send_receipt_email(comment_id, receipt_url):
    comment = PublicComment.objects.select_related("consultation").get(pk=comment_id)
    if comment.email:
        _send(comment, "receipt", {"receipt_url": receipt_url})


@task()
def send_verification_email(comment_id, verify_url):
    comment = PublicComment.objects.select_related("consultation").get(pk=comment_id)
    if comment.email:
        _send(
            comment,
            "verification",
            {
                "verify_url": verify_url,
                "max_age_hours": policycomms_settings.VERIFICATION_MAX_AGE_HOURS,
            },
        )


@task()
def moderate_group(comment_id, action, user_id, *, expected=None, reason="", note=""):
    """Moderate every member of a duplicate group, a batch at a time (``moderation.moderate``).

    A campaign group may have 200,000 members: each batch commits on its own, so
    the queue stays usable meanwhile and the group's counts show the progress.
    Returns what changed, for the immediate backend's message.
    """
    representative = PublicComment.objects.get(pk=comment_id)
    outcome = moderation.moderate(
        PublicComment.objects.duplicates_of(representative),
        action,
        get_user_model().objects.get(pk=user_id),
        expected=expected,
        reason=reason,
        note=note,
        batch_size=policycomms_settings.MODERATION_BATCH_SIZE,
    )
    return {"changed": outcome.changed, "skipped": outcome.skipped}
