"""A Vietnamese admin on the package's screens: no raw value on an inspect page, no bare
English "403 Forbidden", and Wagtail's own buttons in Vietnamese.

The refusals walk the URLs and roles of ``test_authorisation_matrix`` (its table and its
``world`` fixture): every GET a role is refused (``D``) must answer in the admin's layout and
in the admin's language (the site's default, Vietnamese, for these users).
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.test_authorisation_matrix import ROLES, TABLE, Requester, world  # noqa: F401
from wagtail_policycomms.formats.values import display_value
from wagtail_policycomms.models import Assignment, PublicComment, Unit

pytestmark = pytest.mark.django_db

SNIPPETS = "wagtailsnippets_wagtail_policycomms"
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
RAW = re.compile(r"^(True|False|None|-)$")


def vi_superuser_client():
    client = Client()
    client.force_login(factories.make_superuser("quan-tri-vi", language="vi"))
    return client


def inspected(response):
    """(label, value) of every field an inspect page shows."""
    assert response.status_code == 200
    page = factories.soup_of(response)
    main = page.select_one("main") or page
    return [
        (dt.get_text(" ", strip=True), dt.find_next_sibling("dd").get_text(" ", strip=True))
        for dt in main.select("dl > dt")
    ]


# --- 1. No raw codes, booleans or None -----------------------------------------------------


def test_display_value_writes_every_kind_of_value_for_staff():
    unit_active = Unit._meta.get_field("is_active")
    status = Assignment._meta.get_field("status")
    updated = Assignment._meta.get_field("updated_at")
    purposes = PublicComment._meta.get_field("consent_purposes")
    with translation.override("vi"):
        assert display_value(unit_active, True) == "Có"
        assert display_value(unit_active, False) == "Không"
        assert display_value(status, "in_progress") == str(dict(status.flatchoices)["in_progress"])
        assert display_value(status, None) == "—"
        assert display_value(Unit._meta.get_field("email"), "") == "—"
        # 17:30 UTC is 00:30 the next day in Hà Nội.
        moment = datetime(2024, 5, 14, 17, 30, tzinfo=UTC)
        assert display_value(updated, moment) == "15/05/2024 00:30"
        assert display_value(Assignment._meta.get_field("due_on"), date(2024, 9, 30)) == (
            "30/09/2024"
        )
        assert display_value(Assignment._meta.get_field("budget_spent"), Decimal("7500000.00")) == (
            "7.500.000"
        )
        assert "receive_and_answer_comment" not in str(
            display_value(purposes, ["receive_and_answer_comment", "publish_name"])
        )


@pytest.fixture
def objects(index):
    unit = factories.make_unit("Phòng Quản lý Công nghệ", email="", phone="")
    plan = factories.make_plan(2024, number="35/KH-SKHCN")
    assignment = factories.make_assignment(
        plan,
        reference="II.1",
        lead_unit=unit,
        status="in_progress",
        category="content",
        due_on=date(2024, 9, 30),
        budget_spent=Decimal("1500000"),
    )
    return {"unit": unit, "plan": plan, "assignment": assignment}


@pytest.mark.parametrize(
    ("model", "key"),
    [("unit", "unit"), ("communicationplan", "plan"), ("assignment", "assignment")],
)
def test_inspect_pages_show_no_raw_value(objects, model, key):
    obj = objects[key]
    response = vi_superuser_client().get(reverse(f"{SNIPPETS}_{model}:inspect", args=[obj.pk]))
    fields = inspected(response)
    assert fields
    for label, value in fields:
        assert not RAW.match(value), (label, value)
        assert not ISO_TIMESTAMP.search(value), (label, value)
    values = dict(fields)
    if key == "unit":
        assert "Có" in values.values()  # active
        assert "—" in values.values()  # no email
    if key == "assignment":
        assert "in_progress" not in values.values() and "content" not in values.values()
        assert "30/09/2024" in values.values()
        assert "1.500.000" in values.values()
        # Latest revision, created at, updated at: local dd/mm/yyyy HH:MM.
        local = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")
        assert len([v for v in values.values() if local.fullmatch(v)]) == 3, values
        assert "Phiên bản mới nhất" in values  # Wagtail's field, from the demo's catalogue
    assert "ID" not in values


def test_comment_inspect_names_the_consent_purposes(index):
    draft = factories.make_draft(index)
    consultation = factories.make_round_with_status(draft, "open")
    comment = factories.make_comment(
        consultation, consent_purposes=["receive_and_answer_comment", "publish_name"]
    )
    response = vi_superuser_client().get(
        reverse(f"{SNIPPETS}_publiccomment:inspect", args=[comment.pk])
    )
    page = factories.soup_of(response)
    purposes = page.select_one("dd[data-purposes]")
    assert purposes["data-purposes"] == "receive_and_answer_comment publish_name"
    text = purposes.get_text(strip=True)
    assert "receive_and_answer_comment" not in text and "publish_name" not in text
    assert text.count(",") == 1


# --- 2. Refusals in the admin's layout and language ----------------------------------------


def judge(label, response, client):
    """What is wrong with a refusal, or None: a 403 must be the admin's page in Vietnamese;
    Wagtail's redirect must lead to its message in Vietnamese."""
    body = response.content.decode(errors="replace")
    if response.status_code == 403:
        if "<h1>403 Forbidden</h1>" in body or 'lang="vi"' not in body:
            return f"{label}: a bare 403"
        if "Không có quyền truy cập" not in body or "Về trang tổng quan" not in body:
            return f"{label}: a 403 not in Vietnamese"
        return None
    if response.status_code in (301, 302):
        home = client.get(response["Location"])
        if "Bạn không có quyền truy cập vào khu vực này." not in home.content.decode():
            return f"{label}: Wagtail's refusal not in Vietnamese"
    return None


STAFF_ROLES = [role for role in ROLES if role not in ("anonymous", "superuser")]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_refusal_is_a_bare_403(role, world):  # noqa: F811
    """Every URL a role is refused, opened as a page and as the admin's scripts open it
    (listing results, choosers: ``X-Requested-With``, where Wagtail re-raises the refusal)."""
    problems = []
    with Requester(world.users[role]) as requester:
        client = requester.client
        for row in TABLE:
            path = row.url(world)
            for method, expected in (("GET", row.expected_get), ("POST", row.expected_post)):
                if expected[role] != "D":
                    continue
                data = row.data(world) if method == "POST" and row.data else {}
                send = client.get if method == "GET" else client.post
                for headers in ({}, {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}):
                    client.cookies.pop("messages", None)
                    response = send(path, data, **headers)
                    xhr = " (script)" if headers else ""
                    problem = judge(f"{method} {row.label}{xhr} ({path})", response, client)
                    if problem:
                        problems.append(problem)
    assert not problems, "\n".join(problems)


# --- 3. Wagtail's own strings ---------------------------------------------------------------


def test_wagtails_editor_buttons_are_in_vietnamese(draft):
    client = vi_superuser_client()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    body = response.content.decode()
    assert "Lưu bản nháp" in body
    assert "Save draft" not in body
