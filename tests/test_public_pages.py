"""What citizens see on the public pages, in whichever interface language they read.

Through the test client and the demo portal's base template: Vietnamese content
marked ``lang="vi"`` inside pages whose interface is English; the error summary of a
refused comment, focused on load; the receipt saying what happens next in each
moderation mode; upcoming and closed rounds saying when comments open or closed and
where the results are; ``<time datetime>`` values HTML accepts.
"""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Locale

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms.formats import format_datetime_attribute
from wagtail_policycomms.models import ConsultationPage, PublicComment
from wagtail_policycomms.moderation import moderate
from wagtail_policycomms.views.public import receipt_path

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
RECEIPT_PATH = re.compile(r"^/policycomms/receipt/[^/]+/$")
ISO_TO_THE_SECOND = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


site_settings = factories.site_settings


def language_of(node):
    """The language a node is read in: its own ``lang`` or its nearest ancestor's."""
    while node is not None:
        if getattr(node, "attrs", None) is not None and node.has_attr("lang"):
            return node["lang"]
        node = node.parent
    return None


def element_with_text(soup, selector, text):
    [node] = [n for n in soup.select(selector) if n.get_text(" ", strip=True) == text]
    return node


def text_of(node):
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def unit(db):
    return factories.make_unit("Phòng Quản lý khoa học", address="Số 8 Đường Chùa Chuông")


@pytest.fixture
def draft(index, unit):
    return factories.make_draft(
        index,
        "Dự thảo Nghị quyết về đổi mới sáng tạo",
        drafting_unit=unit,
        summary="Tóm tắt của dự thảo.",
        need="<p>Cần thiết vì chưa có quy định.</p>",
        articles=[factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1")],
    )


@pytest.fixture
def consultation(draft, unit):
    return factories.make_round_with_status(
        draft,
        "open",
        receiving_unit=unit,
        title="Lấy ý kiến đợt 1",
        questions="<p>Mức hỗ trợ có phù hợp không?</p>",
    )


@pytest.fixture
def send(client, consultation, django_capture_on_commit_callbacks):
    def send(page=None, **overrides):
        overrides.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return factories.post_comment(
            client, page or consultation, django_capture_on_commit_callbacks, **overrides
        )

    return send


def receipt_soup(client, response):
    assert response.status_code == 303
    assert RECEIPT_PATH.match(response["Location"])
    receipt = client.get(response["Location"], **EN)
    assert receipt.status_code == 200
    return soup_of(receipt)


# --- 1. The content's language, the interface's language --------------------------------


def test_consultation_content_is_vietnamese_inside_an_english_page(client, consultation, draft):
    factories.make_comment(consultation, body="Ý kiến đã công bố.")
    soup = soup_of(client.get(consultation.url, **EN))
    assert soup.html["lang"] == "en"
    assert language_of(soup.select_one("h1")) == "vi"
    assert soup.select_one("h1").get_text() == "Lấy ý kiến đợt 1"
    assert language_of(soup.select_one(".pc-breadcrumb a")) == "vi"
    assert language_of(soup.find(string="Mức hỗ trợ có phù hợp không?")) == "vi"
    assert language_of(soup.find(string="Phòng Quản lý khoa học")) == "vi"
    assert language_of(soup.find(string=re.compile("Số 8 Đường Chùa Chuông"))) == "vi"
    # The chrome stays in the interface's language.
    assert language_of(element_with_text(soup, "dt", "Consultation period")) == "en"
    assert language_of(element_with_text(soup, "h2", "Questions for comment")) == "en"
    assert language_of(soup.select_one("#comment-form-heading")) == "en"
    assert language_of(soup.select_one("button[type=submit]")) == "en"
    # The portal's own Vietnamese name is marked too.
    assert language_of(soup.select_one(".site-header a")) == "vi"


def test_draft_and_index_content_is_vietnamese_inside_an_english_page(
    client, index, draft, consultation
):
    soup = soup_of(client.get(draft.url, **EN))
    assert soup.html["lang"] == "en"
    assert language_of(soup.select_one("h1")) == "vi"
    assert language_of(soup.find(string="Tóm tắt của dự thảo.")) == "vi"
    assert language_of(soup.find(string="Cần thiết vì chưa có quy định.")) == "vi"
    assert language_of(soup.find(string=re.compile("Phạm vi điều chỉnh"))) == "vi"
    assert language_of(soup.find(string="Nội dung điều.")) == "vi"
    assert language_of(soup.find(string="Lấy ý kiến đợt 1")) == "vi"
    assert language_of(element_with_text(soup, "h2", "Draft text")) == "en"
    assert language_of(soup.select_one(".pc-comment-link a")) == "en"

    soup = soup_of(client.get(index.url, **EN))
    assert language_of(soup.select_one("h1")) == "vi"
    assert language_of(soup.select_one(".pc-card h2 a")) == "vi"
    assert language_of(element_with_text(soup, "dt", "Drafting unit")) == "en"


def test_a_vietnamese_interface_is_vietnamese_throughout(client, consultation):
    soup = soup_of(client.get(consultation.url, HTTP_ACCEPT_LANGUAGE="vi"))
    assert soup.html["lang"] == "vi"
    assert language_of(soup.select_one("h1")) == "vi"


def test_the_content_language_is_a_setting(client, consultation):
    with override_settings(POLICYCOMMS_CONTENT_LANGUAGE="vi-VN"):
        soup = soup_of(client.get(consultation.url, **EN))
    assert language_of(soup.select_one("h1")) == "vi-VN"
    assert soup.html["lang"] == "en"


def test_with_wagtail_i18n_the_page_locale_is_the_content_language(client, consultation):
    english = Locale.objects.create(language_code="en")
    ConsultationPage.objects.filter(pk=consultation.pk).update(locale=english)
    languages = [("vi", "Tiếng Việt"), ("en", "English")]
    with override_settings(WAGTAIL_I18N_ENABLED=True, WAGTAIL_CONTENT_LANGUAGES=languages):
        soup = soup_of(client.get(consultation.url, HTTP_ACCEPT_LANGUAGE="vi"))
    assert soup.html["lang"] == "vi"
    assert language_of(soup.select_one("h1")) == "en"


def test_the_portals_404_page_is_in_the_interface_language_with_vietnamese_content(client, db):
    response = client.get("/no-such-page/", **EN)
    assert response.status_code == 404
    soup = soup_of(response)
    assert soup.html["lang"] == "en"
    assert language_of(soup.select_one(".error-page h1")) == "vi"
    assert language_of(soup.find(string=re.compile("Page not found"))) == "en"


# --- 2. The error summary of a refused comment ------------------------------------------


def test_the_error_summary_is_focused_and_links_to_each_field(send):
    response = send(body="Ngắn", email="sai", consent=None)
    assert response.status_code == 200
    soup = soup_of(response)
    [summary] = soup.select("[data-pc-error-summary]")
    assert summary["id"] == "comment-form-errors"
    assert summary["tabindex"] == "-1"
    assert summary["role"] == "alert"
    heading = soup.find(id=summary["aria-labelledby"])
    assert heading in summary.descendants
    assert text_of(heading) == "Your comment was not sent yet"
    links = {a["href"]: text_of(a) for a in summary.select("li a")}
    assert set(links) == {"#id_email", "#id_body", "#id_consent"}
    for href in links:
        field = soup.find(id=href.removeprefix("#"))
        assert field is not None and field.name in ("input", "textarea")
        assert field.get("aria-invalid") == "true"
    assert links["#id_body"].startswith("Your comment:")
    # The consent label is a sentence: no ".:" between it and its error.
    assert ".:" not in links["#id_consent"] and ": " in links["#id_consent"]
    # Each message beside its field once: ids are unique on the page.
    ids = [node["id"] for node in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    assert soup.select_one("#id_consent_error").get_text(strip=True)
    # What the person typed is kept.
    assert soup.select_one("textarea[name=body]").get_text().strip() == "Ngắn"
    assert soup.select_one("input[name=email]")["value"] == "sai"


def test_the_focus_script_is_a_deferred_static_file(client, send, consultation):
    soup = soup_of(send(body="Ngắn"))
    [script] = soup.select("script")
    assert script.has_attr("defer")
    assert script["src"] == "/static/wagtail_policycomms/js/error-summary.js"
    assert not script.get_text().strip()  # nothing inline: the portal's CSP forbids it
    path = finders.find("wagtail_policycomms/js/error-summary.js")
    source = Path(path).read_text(encoding="utf-8")
    assert 'querySelector("[data-pc-error-summary]")' in source
    assert ".focus()" in source
    # A page without errors has neither the summary nor the script.
    soup = soup_of(client.get(consultation.url, **EN))
    assert soup.select("[data-pc-error-summary]") == []
    assert soup.select("script") == []


def test_a_comment_refused_because_the_round_closed_is_focused_too(client, draft):
    closed = factories.make_round_with_status(draft, "closed")
    response = client.post(closed.url, factories.comment_post_data(), **EN)
    soup = soup_of(response)
    [summary] = soup.select("[data-pc-error-summary]")
    assert summary["tabindex"] == "-1"
    assert text_of(soup.find(id=summary["aria-labelledby"])) == "Your comment was not sent"
    assert soup.select_one("script[defer]")["src"].endswith("error-summary.js")
    assert soup.select_one("#refused-text").get_text() == factories.COMMENT_BODY


# --- 3. The receipt says what happens next ----------------------------------------------


def next_steps(soup):
    return text_of(soup.select_one(".pc-next-steps"))


def test_receipt_in_pre_moderation(client, send, consultation):
    site_settings(moderation_mode="pre")
    soup = receipt_soup(client, send())
    text = next_steps(soup)
    assert "Your comment will be published after a moderator reviews it." in text
    assert "published now" not in text
    link = soup.select_one(".pc-next-steps a")
    assert link["href"] == f"{consultation.url}#comments"
    assert "Its answers appear under each comment on the consultation page" in text
    assert "synthesis report" in text
    # Once a moderator approved it, the same receipt says so.
    moderate(PublicComment.objects.all(), "approve", factories.make_superuser("mod"))
    soup = soup_of(client.get(receipt_path(PublicComment.objects.get()), **EN))
    assert "A moderator has reviewed your comment: it is published" in next_steps(soup)


def test_receipt_in_post_moderation(client, send):
    site_settings(moderation_mode="post")
    text = next_steps(receipt_soup(client, send()))
    assert (
        "Your comment is published now on the consultation page. Moderators may hide it "
        "later if it breaks the rules for comments."
    ) in text
    assert "after a moderator reviews it" not in text


@pytest.mark.parametrize(
    ("mode", "then", "after"),
    [
        (
            "pre",
            "Once you confirm it, a moderator reviews your comment.",
            "Your comment will be published after a moderator reviews it.",
        ),
        (
            "post",
            "Once you confirm it, your comment is published at once.",
            "Your comment is published now on the consultation page.",
        ),
    ],
)
def test_receipt_while_the_email_is_not_confirmed(client, send, mailoutbox, mode, then, after):
    site_settings(moderation_mode=mode, require_email_verification=True)
    soup = receipt_soup(client, send(email="xac.minh@example.vn"))
    assert "xac.minh@example.vn" in text_of(soup.select_one(".pc-receipt [role=status]"))
    text = next_steps(soup)
    assert "Until you confirm your email address, your comment is neither moderated nor" in text
    assert then in text
    # The confirmation page goes on with what happens next.
    [link] = re.findall(r"http://testserver(/policycomms/verify/[^/\s]+/)", mailoutbox[0].body)
    confirmed = soup_of(client.get(link, **EN))
    assert after in next_steps(confirmed)


# --- 4. Upcoming and closed rounds ------------------------------------------------------


@freeze_time("2026-11-15 03:00:00")
def test_an_upcoming_round_says_when_comments_open(client, draft):
    upcoming = factories.make_consultation(
        draft, factories.hanoi(2027, 2, 1, 8), factories.hanoi(2027, 3, 3, 17)
    )
    soup = soup_of(client.get(upcoming.url, **EN))
    section = soup.select_one("#comment-form")
    assert section.select_one("form") is None
    assert text_of(section.select_one(".pc-opens")) == "Comments open at 08:00 01/02/2027."
    assert "The form to send a comment will appear here then." in text_of(section)


@freeze_time("2026-11-15 03:00:00")
def test_a_closed_round_says_when_comments_closed_and_where_the_results_are(client, draft):
    closed = factories.make_consultation(
        draft, factories.hanoi(2026, 9, 1, 8), factories.hanoi(2026, 10, 1, 17)
    )
    soup = soup_of(client.get(closed.url, **EN))
    section = soup.select_one("#comment-form")
    assert section.select_one("form") is None
    assert text_of(section.select_one(".pc-closed")) == (
        "Comments closed at 17:00 01/10/2026. Comments are no longer accepted."
    )
    hrefs = [a["href"] for a in section.select("a")]
    assert hrefs == ["#comments", draft.url]
    assert soup.find(id="comments") is not None
    assert "answers appear under each comment on this page" in text_of(section)
    assert "synthesis report" in text_of(section)


# --- 5. <time datetime> -----------------------------------------------------------------


def test_datetime_attributes_have_no_microseconds(client, consultation):
    moment = timezone.now().replace(microsecond=123456)
    comment = factories.make_comment(consultation, submitted_at=moment)
    factories.answer_comments(PublicComment.objects.filter(pk=comment.pk), published=True)
    soup = soup_of(client.get(consultation.url, **EN))
    values = [node["datetime"] for node in soup.select("time[datetime]")]
    assert len(values) == 4  # the period's two ends, the comment, its answer
    assert all(ISO_TO_THE_SECOND.match(value) for value in values), values


def test_format_datetime_attribute():
    moment = datetime(2026, 11, 1, 1, 0, 5, 999999, tzinfo=UTC)
    assert format_datetime_attribute(moment) == "2026-11-01T08:00:05+07:00"
    assert format_datetime_attribute(date(2026, 11, 1)) == "2026-11-01"
    assert format_datetime_attribute(None) == ""
    naive = datetime(2026, 11, 1, 8, 0, 0, 1)
    assert format_datetime_attribute(naive) == "2026-11-01T08:00:00"
    assert format_datetime_attribute(moment + timedelta(days=1)).startswith("2026-11-02T08")
