"""iCalendar files (RFC 5545): one consultation's comment period, and a calendar of every
open and upcoming round, to add to or subscribe from a calendar application.

Written by hand (a few properties of one component need no library): each comment
period is a VEVENT from ``opens_at`` to ``closes_at`` in UTC, with a stable UID (the
page's id and host), the page's URL, a summary and a description. Text values are
escaped (``\\``, ``;``, ``,``, newlines), the characters XML cannot hold are dropped
first (``formats.text.for_xml``, as in the feeds), lines end with CRLF and are folded at
75 octets without cutting a UTF-8 character. Which rounds are listed is the feeds' rule
(``feeds.open_and_upcoming``, ``feeds.published_consultation``).
"""

from datetime import UTC
from urllib.parse import urlsplit

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from ..conf import policycomms_settings
from ..formats.text import ascii_slug
from . import feeds

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//wagtail-policycomms//Consultations//VI"
#: RFC 5545, 3.1: a content line is folded after at most 75 octets.
LINE_OCTETS = 75


def escape_text(value):
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newline escaped."""
    value = feeds.text(value).replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def utc_stamp(moment):
    """A DATE-TIME in UTC ("20261101T010000Z")."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line):
    """A content line folded at 75 octets (RFC 5545, 3.1), never inside a UTF-8 character:
    each continuation starts with one space, which counts in its 75."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    parts = []
    limit = LINE_OCTETS
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # a continuation byte: step back
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = LINE_OCTETS - 1
    parts.append(data.decode("utf-8"))
    return "\r\n ".join(parts)


def event_lines(consultation, draft, url, stamp):
    """The VEVENT of one comment period."""
    host = urlsplit(url).hostname or "localhost"
    description = [
        feeds.text(draft.title) if draft is not None else "",
        "{}: {}".format(_("Consultation period"), feeds.period_text(consultation)),
    ]
    if draft is not None:
        description.append(
            "{}: {}".format(_("Drafting unit"), feeds.text(draft.drafting_unit.name))
        )
    unit = consultation.receiving_unit
    description.append("{} {}".format(_("Comments are received by:"), feeds.text(unit.name)))
    description.append(url)
    return [
        "BEGIN:VEVENT",
        f"UID:policycomms-consultation-{consultation.pk}@{host}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(consultation.opens_at)}",
        f"DTEND:{utc_stamp(consultation.closes_at)}",
        f"SUMMARY:{escape_text(feeds.consultation_title(consultation, draft))}",
        f"DESCRIPTION:{escape_text(chr(10).join(line for line in description if line))}",
        f"URL:{iri_to_uri(url)}",
        *(
            [f"LAST-MODIFIED:{utc_stamp(consultation.last_published_at)}"]
            if consultation.last_published_at
            else []
        ),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar_bytes(name, events):
    """A VCALENDAR of ``events`` (lists of unfolded lines), CRLF line ends, UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{policycomms_settings.TIME_ZONE}",
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def calendar_response(content, filename, disposition="attachment"):
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def consultation_calendar(request, page_id):
    """One consultation's comment period as an .ics file ("Add to calendar")."""
    consultation = feeds.published_consultation(page_id)
    url = consultation.get_full_url(request)
    if not url:
        raise Http404
    draft = feeds.drafts_of([consultation])[consultation.pk]
    event = event_lines(consultation, draft, url, timezone.now())
    name = feeds.consultation_title(consultation, draft)
    filename = f"{ascii_slug(consultation.title)[:60] or 'consultation'}-{consultation.pk}.ics"
    return calendar_response(calendar_bytes(name, [event]), filename)


def consultations_calendar(request):
    """A calendar of the open and upcoming consultations (at most ``feeds.FEED_ITEMS``),
    to subscribe to."""
    now = timezone.now()
    events = [
        event_lines(consultation, consultation.draft, consultation.listed_url, now)
        for consultation in feeds.open_and_upcoming(request)
    ]
    content = calendar_bytes(_("Open and upcoming consultations"), events)
    return calendar_response(content, "consultations.ics", disposition="inline")
