"""“Your comment was published” and “your comment was answered”, for commenters who asked.

Only a commenter who ticked the form's box (``ConsentPurpose.EMAIL_UPDATES`` in the
comment's ``consent_purposes``) and gave an email address is told, and only by email to
that address; each email holds that person's comment code, the consultation and, for an
answer, the published answer: nothing of anyone else.

``moderation`` (the only writer of statuses and answers) calls ``notify`` when an action
publishes comments or an answer: one task per action, enqueued on commit, with the ids of
the comments that may want an email. The task reads them in chunks (a bulk approval of
50,000 comments is one task and a few queries per chunk), drops the addresses that
unsubscribed from ``EmailStream.COMMENT_UPDATES`` and those already told of the same event,
and sends each chunk over one SMTP connection (``mail.send_many``).

Once per event: what was sent is recorded in the comment's audit log (``moderation``'s
``notify_published`` and ``notify_answered`` entries, the latter naming the answer),
after the chunk left; a comment approved again after being returned to pending, or an
answer unpublished and published again, is not told twice. A new answer (another
``CommentResponse``) is a new event. A chunk the mail server refused is logged and not
recorded (nobody is retried automatically).
"""

import logging

from django.conf import settings
from django.db import connection
from django_tasks import task

from ..formats.text import normalise_email
from ..models import CommentResponse, EmailStream, PublicComment
from ..models.comments import CommentStatus
from ..models.consultations import ConsentPurpose
from . import mail, optout

logger = logging.getLogger(__name__)

PUBLISHED = "published"
ANSWERED = "answered"
EVENTS = (PUBLISHED, ANSWERED)
#: Comments read, checked and sent per round (one connection each).
CHUNK = 500


def wants_updates(comment):
    return bool(comment.email) and ConsentPurpose.EMAIL_UPDATES.value in (
        comment.consent_purposes or []
    )


def candidates(comments):
    """Ids among the queryset ``comments`` that may want an email: one query.

    Comments without an address are left out in SQL; the consent too where the database
    can look inside a JSON list (PostgreSQL), otherwise the task checks it.
    """
    rows = comments.exclude(email="").order_by()
    if connection.features.supports_json_field_contains:
        rows = rows.filter(consent_purposes__contains=[ConsentPurpose.EMAIL_UPDATES.value])
    return list(rows.values_list("pk", flat=True))


def notify(event, comment_ids, response_id=None):
    """Enqueue the one task of an action; a task queue that is down does not undo it."""
    if not comment_ids:
        return
    try:
        send_comment_updates.enqueue(event, list(comment_ids), response_id)
    except Exception:
        logger.exception("Could not enqueue the %s emails of %s comments", event, len(comment_ids))


def _chunks(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


@task()
def send_comment_updates(event, comment_ids, response_id=None):
    """Email each commenter of ``comment_ids`` who asked, once per event. Returns how many."""
    from .. import moderation

    if event not in EVENTS:
        raise ValueError(f"Unknown event: {event!r}")
    response = None
    if event == ANSWERED:
        response = (
            CommentResponse.objects.filter(pk=response_id, is_published=True)
            .select_related("answering_unit")
            .first()
        )
        if response is None:
            return 0  # unpublished meanwhile: nothing to tell
    site = mail.default_site()
    department = mail.department(site)
    language = settings.LANGUAGE_CODE or "vi"
    page_urls = {}
    sent = 0
    for chunk in _chunks(sorted(set(comment_ids)), CHUNK):
        comments = PublicComment.objects.filter(
            pk__in=chunk, status=CommentStatus.APPROVED
        ).select_related("consultation")
        if response is not None:
            comments = comments.filter(response=response)
        comments = [comment for comment in comments if wants_updates(comment)]
        if not comments:
            continue
        told = moderation.already_notified(event, [c.pk for c in comments], response_id)
        stopped = optout.opted_out([c.email for c in comments], EmailStream.COMMENT_UPDATES)
        comments = [
            c for c in comments if c.pk not in told and normalise_email(c.email) not in stopped
        ]
        messages = []
        for comment in comments:
            page = comment.consultation
            if page.pk not in page_urls:
                page_urls[page.pk] = page.get_full_url() or ""
            messages.append(
                mail.build_email(
                    f"comment_{event}",
                    [comment.email],
                    {
                        "comment": comment,
                        "consultation": page,
                        "consultation_url": page_urls[page.pk],
                        "response": response,
                        "department": department,
                    },
                    unsubscribe_url=optout.unsubscribe_url(
                        comment.email, EmailStream.COMMENT_UPDATES, site
                    ),
                    language=language,
                )
            )
        if not messages:
            continue
        try:
            mail.send_many(messages)
        except Exception:
            logger.warning(
                "The %s emails of %s comments could not be sent",
                event,
                len(messages),
                exc_info=True,
            )
            continue
        moderation.record_notified(event, comments, response_id)
        sent += len(messages)
    return sent
