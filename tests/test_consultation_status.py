"""A round's status from its dates: on one page, in a database filter, and on the public page.

The period is half-open, [opens_at, closes_at). ``status_at`` and
``with_status`` are two implementations of the same rule, so every case checks
both; the time-zone cases check that a Hanoi midnight is not read as UTC.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import translation
from freezegun import freeze_time

from tests import factories
from wagtail_policycomms.models import ConsultationPage, ConsultationStatus

UPCOMING, OPEN, CLOSED = (
    ConsultationStatus.UPCOMING,
    ConsultationStatus.OPEN,
    ConsultationStatus.CLOSED,
)
OPENS_AT = factories.hanoi(2026, 11, 1, 8)
CLOSES_AT = factories.hanoi(2026, 12, 1, 0)
TICK = timedelta(microseconds=1)


@pytest.fixture
def draft(index):
    return factories.make_draft(index)


@pytest.fixture
def consultation(draft):
    return factories.make_consultation(draft, OPENS_AT, CLOSES_AT)


def statuses_in_database(moment):
    """Every status whose ``with_status`` filter selects some round at ``moment``."""
    return {
        status
        for status in ConsultationStatus
        if ConsultationPage.objects.with_status(status, moment).exists()
    }


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (OPENS_AT - timedelta(days=3), UPCOMING),
        (OPENS_AT - TICK, UPCOMING),
        (OPENS_AT, OPEN),
        (OPENS_AT + timedelta(days=10), OPEN),
        (CLOSES_AT - TICK, OPEN),
        (CLOSES_AT, CLOSED),
        (CLOSES_AT + TICK, CLOSED),
        (CLOSES_AT + timedelta(days=365), CLOSED),
    ],
    ids=[
        "days-before",
        "just-before-opening",
        "at-opening",
        "midway",
        "just-before-closing",
        "at-closing",
        "just-after-closing",
        "a-year-later",
    ],
)
def test_status_at_and_database_filter_agree(consultation, moment, expected):
    assert consultation.status_at(moment) == expected
    assert statuses_in_database(moment) == {expected}


def test_filter_agrees_for_several_rounds_at_once(draft):
    """Three rounds, one of each status: each filter picks exactly its own round."""
    now = factories.hanoi(2026, 11, 15, 12)
    rounds = {
        status: factories.make_round_with_status(draft, status, now)
        for status in ConsultationStatus
    }
    for status, page in rounds.items():
        assert page.status_at(now) == status
        assert list(ConsultationPage.objects.with_status(status, now)) == [page]


def test_status_follows_the_clock(consultation):
    with freeze_time(OPENS_AT - timedelta(minutes=1)):
        assert consultation.status == UPCOMING
        assert ConsultationPage.objects.with_status(UPCOMING).get() == consultation
    with freeze_time(OPENS_AT):
        assert consultation.status == OPEN
        assert ConsultationPage.objects.with_status(OPEN).get() == consultation
    with freeze_time(CLOSES_AT):
        assert consultation.status == CLOSED
        assert ConsultationPage.objects.with_status(CLOSED).get() == consultation


def test_unknown_status_is_an_error(db):
    with pytest.raises(ValueError, match="bogus"):
        ConsultationPage.objects.with_status("bogus", OPENS_AT)


# --- A Hanoi midnight on a UTC server -------------------------------------------------


@override_settings(TIME_ZONE="UTC")
@pytest.mark.parametrize(
    ("utc_now", "expected"),
    [
        # 23:59 on 30 Nov in Hanoi.
        ("2026-11-30 16:59:00", OPEN),
        # 00:30 on 1 Dec in Hanoi, while the UTC date is still 30 Nov.
        ("2026-11-30 17:30:00", CLOSED),
        # Midnight in Hanoi exactly.
        ("2026-11-30 17:00:00", CLOSED),
    ],
)
def test_period_ending_at_hanoi_midnight_on_utc_server(consultation, client, utc_now, expected):
    with freeze_time(utc_now):
        now = datetime.fromisoformat(utc_now).replace(tzinfo=ZoneInfo("UTC"))
        assert consultation.status == expected
        assert statuses_in_database(now) == {expected}

        response = client.get(consultation.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["consultation_status"] == expected
    html = response.content.decode()
    assert f"pc-status--{expected.value}" in html
    with translation.override("en"):
        assert str(expected.label) in html


@override_settings(TIME_ZONE="UTC")
def test_dates_shown_in_hanoi_time_on_utc_server(consultation, client):
    response = client.get(consultation.url)
    html = response.content.decode()
    assert "08:00 01/11/2026" in html
    assert "00:00 01/12/2026" in html
    # The UTC reading of the same instant must not leak into the page.
    assert "17:00 30/11/2026" not in html
    assert 'datetime="2026-12-01T00:00:00+07:00"' in html


@override_settings(POLICYCOMMS_TIME_ZONE="UTC")
def test_display_zone_is_a_setting(consultation, client):
    html = client.get(consultation.url).content.decode()
    assert "17:00 30/11/2026" in html
    assert "00:00 01/12/2026" not in html
