"""Daily reminders by email, for ``policycomms_send_reminders`` (run it from cron).

What is reminded, and to whom:

- an assignment still to do, due within ``POLICYCOMMS_ASSIGNMENT_REMINDER_DAYS`` or
  overdue: its responsible unit (the lead unit, or the linked draft's drafting unit), or,
  when it has none, each of its coordinating units (the plan's "all units" items);
- an open consultation closing within ``POLICYCOMMS_CONSULTATION_REMINDER_DAYS``: the
  drafting unit of its draft policy;
- a closed consultation whose approved comments still have no answer: the same unit,
  with the count.

A unit's email goes to the unit's address and its active members' addresses, and lists
all its items. Each item is reminded at most once a (local) day: a ``SentReminder`` row
per item is inserted before the email is sent, in the same transaction, so a second run
the same day finds the rows and sends nothing, and a failed send rolls them back for the
next run to retry.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder

from .conf import policycomms_settings
from .models import (
    Assignment,
    ConsultationPage,
    ConsultationStatus,
    PublicComment,
    ReminderKind,
    SentReminder,
    local_today,
)
from .models.comments import AWAITING_ANSWER, RECEIVED, CommentStatus
from .models.subscriptions import EmailStream
from .notifications.mail import admin_url, build_email, default_site, department, send_many
from .notifications.optout import opted_out, unsubscribe_url
from .permissions import MODERATORS
from .restricted import shared_draft_title

#: Order of the sections in an email.
KIND_ORDER = [
    ReminderKind.ASSIGNMENT_OVERDUE,
    ReminderKind.ASSIGNMENT_DUE,
    ReminderKind.CONSULTATION_CLOSING,
    ReminderKind.UNANSWERED,
]


@dataclass
class Notice:
    """One item to remind a unit about today."""

    kind: str
    item: str  # SentReminder.item: "assignment:12", "consultation:34"
    obj: object
    unit: object  # a Unit, or None when nobody is responsible
    url: str = ""
    count: int = 0  # unanswered comments
    days: int = 0  # days overdue, or days left
    #: An assignment's linked draft as the email names it (``restricted.shared_draft_title``).
    draft_title: str = ""


@dataclass
class UnitReminder:
    """The email to one unit: its notices and where it goes."""

    unit: object
    recipients: list
    notices: list = field(default_factory=list)


@dataclass
class Outcome:
    sent: list = field(default_factory=list)  # UnitReminder
    no_recipients: list = field(default_factory=list)  # UnitReminder
    no_unit: list = field(default_factory=list)  # Notice
    failed: list = field(default_factory=list)  # (UnitReminder, exception)
    already_sent: int = 0
    digest: object = None  # DigestOutcome: the moderators' daily digest


# --- What is due --------------------------------------------------------------------------


def _edit_url(instance):
    return admin_url(AdminURLFinder().get_edit_url(instance) or "")


def _unanswered_url(consultation):
    try:
        path = reverse(PublicComment.snippet_viewset.get_url_name("list"))
    except (AttributeError, NoReverseMatch):
        return _edit_url(consultation)
    query = {"consultation": consultation.pk, "status": "approved", "answer_state": "none"}
    return admin_url(f"{path}?{urlencode(query)}")


def assignment_notices(today):
    days = policycomms_settings.ASSIGNMENT_REMINDER_DAYS
    assignments = (
        Assignment.objects.open()
        .filter(due_on__lte=today + timedelta(days=days))
        .select_related("plan", "lead_unit", "draft_policy__drafting_unit")
        .prefetch_related("coordinating_units")
        .order_by("due_on", "reference", "pk")
    )
    notices = []
    for assignment in assignments:
        # Open and due within the window: overdue by some days, or due in some days.
        overdue_by = assignment.days_overdue(today)
        responsible = assignment.responsible_unit
        # An item the plan gives to every unit ("các phòng, đơn vị": no lead, all units
        # coordinating) is each unit's to do: each is reminded, once a day each.
        units = [responsible] if responsible else list(assignment.coordinating_units.all())
        for unit in units or [None]:
            item = f"assignment:{assignment.pk}"
            notices.append(
                Notice(
                    kind=ReminderKind.ASSIGNMENT_OVERDUE
                    if overdue_by is not None
                    else ReminderKind.ASSIGNMENT_DUE,
                    item=item if unit is responsible else f"{item}:unit:{unit.pk}",
                    obj=assignment,
                    unit=unit,
                    url=_edit_url(assignment),
                    days=(
                        overdue_by.days
                        if overdue_by is not None
                        else (assignment.due_on - today).days
                    ),
                    draft_title=(
                        shared_draft_title(assignment.draft_policy)
                        if assignment.draft_policy_id
                        else ""
                    ),
                )
            )
    return notices


def consultation_notices(now):
    days = policycomms_settings.CONSULTATION_REMINDER_DAYS
    closing = (
        ConsultationPage.objects.live()
        .with_status(ConsultationStatus.OPEN, now)
        .filter(closes_at__lte=now + timedelta(days=days))
        .order_by("closes_at")
    )
    notices = [
        Notice(
            kind=ReminderKind.CONSULTATION_CLOSING,
            item=f"consultation:{consultation.pk}",
            obj=consultation,
            unit=consultation.draft_policy.drafting_unit,
            url=_edit_url(consultation),
        )
        for consultation in closing
    ]
    closed = ConsultationPage.objects.live().with_status(ConsultationStatus.CLOSED, now)
    unanswered = dict(
        PublicComment.objects.filter(AWAITING_ANSWER, consultation__in=closed)
        .order_by()
        .values_list("consultation")
        .annotate(count=Count("pk"))
    )
    notices += [
        Notice(
            kind=ReminderKind.UNANSWERED,
            item=f"consultation:{consultation.pk}",
            obj=consultation,
            unit=consultation.draft_policy.drafting_unit,
            url=_unanswered_url(consultation),
            count=unanswered[consultation.pk],
        )
        for consultation in closed.filter(pk__in=list(unanswered)).order_by("closes_at")
    ]
    return notices


def recipients_of(unit):
    """The unit's address and its active members' addresses, each once (case-insensitive)."""
    addresses = [unit.email] if unit.email else []
    addresses += (
        unit.members.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    )
    seen, unique = set(), []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def collect(now=None):
    """Today's notices grouped by unit, leaving out those already sent today.

    Returns (unit reminders, notices without a responsible unit, count already sent).
    """
    now = now or timezone.now()
    today = local_today(now)
    notices = assignment_notices(today) + consultation_notices(now)
    sent = set(SentReminder.objects.filter(day=today).values_list("kind", "item"))
    by_unit, no_unit, already_sent = {}, [], 0
    for notice in notices:
        if (notice.kind, notice.item) in sent:
            already_sent += 1
        elif notice.unit is None:
            no_unit.append(notice)
        else:
            if notice.unit.pk not in by_unit:
                by_unit[notice.unit.pk] = UnitReminder(notice.unit, recipients_of(notice.unit))
            by_unit[notice.unit.pk].notices.append(notice)
    reminders = sorted(by_unit.values(), key=lambda r: r.unit.name)
    for reminder in reminders:
        reminder.notices.sort(key=lambda n: KIND_ORDER.index(n.kind))
    return reminders, no_unit, already_sent


# --- Sending ------------------------------------------------------------------------------


def render_email(reminder, today):
    sections = [
        (kind, [n for n in reminder.notices if n.kind == kind])
        for kind in KIND_ORDER
        if any(n.kind == kind for n in reminder.notices)
    ]
    context = {
        "unit": reminder.unit,
        "sections": sections,
        "notices": reminder.notices,
        "today": today,
        "kinds": ReminderKind,
    }
    # One email to the unit's address and its members together: a unit's work, not a
    # list one leaves, so it carries no unsubscribe link (docs/notifications.md).
    return build_email(
        "reminder", reminder.recipients, context, language=settings.LANGUAGE_CODE or "vi"
    )


def _record(reminder, today):
    """Insert a SentReminder per notice; drop the notices another run recorded meanwhile."""
    recorded = []
    for notice in reminder.notices:
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    kind=notice.kind,
                    item=notice.item,
                    day=today,
                    recipients=", ".join(reminder.recipients),
                )
        except IntegrityError:
            continue
        recorded.append(notice)
    reminder.notices = recorded


def send_reminders(now=None, *, dry_run=False):
    """Send today's reminders, one email per unit. Returns an ``Outcome``.

    A unit whose email fails is reported in ``failed`` and its rows are rolled back;
    the other units are still sent.
    """
    now = now or timezone.now()
    today = local_today(now)
    reminders, no_unit, already_sent = collect(now)
    outcome = Outcome(no_unit=no_unit, already_sent=already_sent)
    for reminder in reminders:
        if not reminder.recipients:
            outcome.no_recipients.append(reminder)
            continue
        if dry_run:
            outcome.sent.append(reminder)
            continue
        try:
            with transaction.atomic():
                _record(reminder, today)
                if reminder.notices:
                    render_email(reminder, today).send()
        except Exception as error:  # any mail failure: report it, go on with the others
            outcome.failed.append((reminder, error))
            continue
        if reminder.notices:
            outcome.sent.append(reminder)
    outcome.digest = send_moderator_digest(now, dry_run=dry_run)
    return outcome


# --- The moderators' daily digest -----------------------------------------------------------
#
# One email a day to each moderator (the active users of ``permissions.MODERATORS`` with an
# address): per consultation, how many comments arrived since the last digest and how many
# await moderation, with a link to the filtered queue. Counts only: no comment text, no
# commenter. Counted with two aggregate queries whatever the number of comments. Recorded
# as one ``SentReminder(kind=MODERATOR_DIGEST, item="digest", day)`` per local day, inserted
# in the transaction that sends, so a second run the same day sends nothing and a failed
# send is retried by the next run. Nothing is sent on a day with no new comment.

DIGEST_ITEM = "digest"


@dataclass
class DigestLine:
    consultation: object
    new: int
    pending: int
    url: str


@dataclass
class DigestOutcome:
    recipients: list = field(default_factory=list)  # the addresses emailed (or to email)
    lines: list = field(default_factory=list)  # DigestLine
    already_sent: bool = False
    error: Exception = None


def _pending_url(consultation):
    try:
        path = reverse(PublicComment.snippet_viewset.get_url_name("list"))
    except (AttributeError, NoReverseMatch):
        return _edit_url(consultation)
    query = {"consultation": consultation.pk, "status": CommentStatus.PENDING.value}
    return admin_url(f"{path}?{urlencode(query)}")


def digest_lines(since, now):
    """Per consultation with new comments since ``since`` or comments awaiting moderation:
    the two counts; [] when no comment arrived since ``since``. Three queries."""
    new = dict(
        PublicComment.objects.filter(RECEIVED, submitted_at__gt=since, submitted_at__lte=now)
        .order_by()
        .values_list("consultation")
        .annotate(count=Count("pk"))
    )
    if not new:
        return []
    pending = dict(
        PublicComment.objects.filter(status=CommentStatus.PENDING)
        .order_by()
        .values_list("consultation")
        .annotate(count=Count("pk"))
    )
    consultations = ConsultationPage.objects.filter(pk__in={*new, *pending}).order_by("title", "pk")
    return [
        DigestLine(c, new.get(c.pk, 0), pending.get(c.pk, 0), _pending_url(c))
        for c in consultations
    ]


def moderator_addresses():
    """(address, language) of each active moderator with an email, each address once."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATORS)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", "wagtail_userprofile__preferred_language")
    )
    seen, unique = set(), []
    for email, language in users:
        if email.lower() not in seen:
            seen.add(email.lower())
            unique.append((email, language or settings.LANGUAGE_CODE or "vi"))
    return unique


def send_moderator_digest(now=None, *, dry_run=False):
    now = now or timezone.now()
    today = local_today(now)
    outcome = DigestOutcome()
    digests = SentReminder.objects.filter(kind=ReminderKind.MODERATOR_DIGEST, item=DIGEST_ITEM)
    if digests.filter(day=today).exists():
        outcome.already_sent = True
        return outcome
    last = digests.order_by("-sent_at").values_list("sent_at", flat=True).first()
    outcome.lines = digest_lines(last or now - timedelta(days=1), now)
    if not outcome.lines:
        return outcome
    moderators = moderator_addresses()
    stopped = opted_out([email for email, _ in moderators], EmailStream.MODERATOR_DIGEST)
    recipients = [(email, lang) for email, lang in moderators if email.lower() not in stopped]
    outcome.recipients = [email for email, _ in recipients]
    if dry_run or not recipients:
        return outcome
    site = default_site()
    context = {
        "lines": outcome.lines,
        "today": today,
        "new_total": sum(line.new for line in outcome.lines),
        "pending_total": sum(line.pending for line in outcome.lines),
        "department": department(site),
    }
    messages = [
        build_email(
            "moderator_digest",
            [email],
            context,
            unsubscribe_url=unsubscribe_url(email, EmailStream.MODERATOR_DIGEST, site),
            language=language,
        )
        for email, language in recipients
    ]
    try:
        with transaction.atomic():
            row = SentReminder.objects.create(
                kind=ReminderKind.MODERATOR_DIGEST,
                item=DIGEST_ITEM,
                day=today,
                recipients=", ".join(outcome.recipients),
            )
            # The next digest counts from the moment this one counted to (not from the
            # insert a moment later), so no comment falls between two digests.
            SentReminder.objects.filter(pk=row.pk).update(sent_at=now)
            send_many(messages)
    except IntegrityError:  # another run sent it meanwhile
        outcome.recipients, outcome.already_sent = [], True
    except Exception as error:  # the mail server: rolled back, the next run retries
        outcome.error = error
    return outcome
