"""iCalendar files (views/calendar.py): one consultation's comment period and the calendar
of every open and upcoming round, read back by the ``icalendar`` package."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories
from wagtail_policycomms.views.calendar import fold

CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_url(consultation):
    return reverse("wagtail_policycomms:consultation_calendar", args=[consultation.pk])


def whole_seconds(moment):
    return moment.replace(microsecond=0)


def read(client, url, language="en"):
    """The .ics at ``url``: RFC 5545's line rules checked on the bytes, then parsed."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    assert response["Content-Type"] == CONTENT_TYPE
    content = response.content
    assert content.endswith(b"\r\n")
    lines = content[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line  # CRLF only, no bare LF or CR
        assert len(line) <= 75, line  # folded at 75 octets
        line.decode("utf-8")  # never cut inside a character
    return icalendar.Calendar.from_ical(content)


def events(calendar):
    return list(calendar.walk("VEVENT"))


def test_a_consultation_calendar_is_its_comment_period(client, draft):
    consultation = factories.make_consultation(
        draft,
        factories.hanoi(2026, 11, 1, 8, 0),
        factories.hanoi(2026, 12, 1, 17, 30),
        title="Lấy ý kiến đợt 1",
    )
    calendar = read(client, calendar_url(consultation))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (event,) = events(calendar)
    assert event.decoded("DTSTART") == consultation.opens_at
    assert event.decoded("DTEND") == consultation.closes_at
    assert event.decoded("DTSTART") == factories.hanoi(2026, 11, 1, 8, 0)
    assert str(event["SUMMARY"]) == f"{draft.title}: Lấy ý kiến đợt 1"
    assert str(event["URL"]).endswith(consultation.url)
    assert str(event["URL"]).startswith("http")
    description = str(event["DESCRIPTION"])
    assert draft.title in description
    assert "From 08:00 01/11/2026 to 17:30 01/12/2026" in description
    assert consultation.receiving_unit.name in description
    assert event["DTSTAMP"]
    # A stable UID: the same event on every download.
    again = events(read(client, calendar_url(consultation)))[0]
    assert str(again["UID"]) == str(event["UID"])
    assert str(event["UID"]).startswith(f"policycomms-consultation-{consultation.pk}@")
    response = client.get(calendar_url(consultation))
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.ics"')
    # A closed round still has its own file (the consultation page links to it).
    closed = factories.make_round_with_status(draft, "closed")
    (event,) = events(read(client, calendar_url(closed)))
    assert event.decoded("DTEND") == whole_seconds(closed.closes_at)


HOSTILE = (
    "Lấy ý kiến, đợt 1; về \\ “Điều lệ”\r\ndòng hai\nba <script>]]>\x01\x0b"
    " rất dài để phải gấp dòng ở giữa một ký tự tiếng Việt: ệệệệệệệệệệệệệệệệệệệệệệệệệệệệ"
)
HOSTILE_READ = (
    "Lấy ý kiến, đợt 1; về \\ “Điều lệ”\ndòng hai\nba <script>]]>"
    " rất dài để phải gấp dòng ở giữa một ký tự tiếng Việt: ệệệệệệệệệệệệệệệệệệệệệệệệệệệệ"
)


def test_hostile_titles_do_not_break_the_file(client, index):
    draft = factories.make_draft(index, title="Dự thảo; a,b\\c")
    consultation = factories.make_consultation(
        draft,
        factories.hanoi(2026, 11, 1, 8, 0),
        factories.hanoi(2026, 12, 1, 17, 30),
        title=HOSTILE,
        receiving_unit=factories.make_unit("Phòng; Pháp chế, Văn phòng\nSở"),
    )
    (event,) = events(read(client, calendar_url(consultation)))
    assert str(event["SUMMARY"]) == f"Dự thảo; a,b\\c: {HOSTILE_READ}"
    assert "Phòng; Pháp chế, Văn phòng\nSở" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == consultation.opens_at
    raw = client.get(calendar_url(consultation)).content
    assert b"\\;" in raw and b"\\," in raw and b"\\\\" in raw and b"\\n" in raw


def test_lines_are_folded_at_75_octets_without_cutting_a_character():
    line = "SUMMARY:" + "ệ" * 100  # 3 octets each
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert parts[0] + "".join(part[1:] for part in parts[1:]) == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_the_calendar_of_rounds_holds_open_and_upcoming_published_rounds(client, index, draft):
    now = whole_seconds(timezone.now())
    open_round = factories.make_consultation(
        draft, now - timedelta(days=3), now + timedelta(days=20), title="Đợt đang mở"
    )
    upcoming = factories.make_consultation(
        draft, now + timedelta(days=3), now + timedelta(days=33), title="Đợt sắp mở"
    )
    factories.make_round_with_status(draft, "closed", title="Đợt đã đóng")
    factories.make_round_with_status(draft, "open", title="Đợt chưa xuất bản", live=False)
    private = factories.make_round_with_status(draft, "open", title="Đợt riêng tư")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    calendar = read(client, reverse("wagtail_policycomms:consultations_calendar"))
    found = {str(event["SUMMARY"]): event for event in events(calendar)}
    assert set(found) == {f"{draft.title}: Đợt đang mở", f"{draft.title}: Đợt sắp mở"}
    for page in (open_round, upcoming):
        event = found[f"{draft.title}: {page.title}"]
        assert event.decoded("DTSTART") == page.opens_at
        assert event.decoded("DTEND") == page.closes_at
        assert str(event["UID"]).startswith(f"policycomms-consultation-{page.pk}@")
        # The round's own file has the same UID: adding both gives one event.
        (own,) = events(read(client, calendar_url(page)))
        assert str(own["UID"]) == str(event["UID"])
    assert calendar["X-WR-CALNAME"] == "Open and upcoming consultations"


@pytest.mark.parametrize("how", ["unpublished", "private", "withdrawn", "draft_hidden"])
def test_the_calendar_of_a_page_not_live_or_private_is_404(client, index, draft, how):
    if how == "unpublished":
        page = factories.make_round_with_status(draft, "open", live=False)
    elif how == "draft_hidden":
        hidden = factories.make_draft(index, live=False)
        page = factories.make_round_with_status(hidden, "open")
    else:
        page = factories.make_round_with_status(draft, "open")
        if how == "private":
            PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
        else:
            page.unpublish()
    assert client.get(calendar_url(page)).status_code == 404
    calendar = read(client, reverse("wagtail_policycomms:consultations_calendar"))
    assert events(calendar) == []
