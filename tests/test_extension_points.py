"""A portal overrides one step of taking a comment, and ``serve`` goes through it.

The steps are methods of ``AbstractConsultationPage`` (docs/extending.md). A new
concrete page class would need a migration, so each test overrides the method on
the real ``ConsultationPage`` with ``monkeypatch`` (undone after the test), calling
the original where a subclass would call ``super()``. Each asserts something only
the override can produce, so it fails if ``serve`` bypasses the step.
"""

import pytest
from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpResponse

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms.forms import CommentForm
from wagtail_policycomms.models import ConsultationPage, PublicComment, ReceiptCounter

WARD = "ward"


# --- render_comment_receipt -----------------------------------------------------------


def test_a_custom_receipt_replaces_the_redirect(send, monkeypatch):
    shown = []

    def render_comment_receipt(self, request, comment):
        shown.append(comment)
        return HttpResponse(f"Portal receipt {comment.receipt_code}", status=200)

    monkeypatch.setattr(ConsultationPage, "render_comment_receipt", render_comment_receipt)
    response = send()

    comment = PublicComment.objects.get()
    assert response.status_code == 200
    assert response.content.decode() == f"Portal receipt {comment.receipt_code}"
    assert shown == [comment]


def test_a_resent_comment_gets_the_custom_receipt_of_the_original(send, monkeypatch):
    shown = []

    def render_comment_receipt(self, request, comment):
        shown.append(comment.pk)
        return HttpResponse(comment.receipt_code)

    monkeypatch.setattr(ConsultationPage, "render_comment_receipt", render_comment_receipt)
    first = send(email="a@example.vn")
    again = send(email="A@example.vn")

    assert first.content == again.content
    assert shown == [PublicComment.objects.get().pk] * 2


# --- process_comment_submission -------------------------------------------------------


def test_a_portal_adds_to_storing_and_sends_after_the_commit(send, monkeypatch, consultation):
    """As a portal sending comments to its CRM would (see docs/extending.md)."""
    store = ConsultationPage.process_comment_submission
    sent_to_crm = []

    def process_comment_submission(self, request, form):
        comment = store(self, request, form)  # super() in a subclass
        comment.themes.add("Từ cổng tỉnh")
        transaction.on_commit(lambda: sent_to_crm.append(comment.receipt_code))
        return comment

    monkeypatch.setattr(ConsultationPage, "process_comment_submission", process_comment_submission)
    response = send()

    assert response.status_code == 303
    comment = PublicComment.objects.get()
    assert comment.consultation_id == consultation.pk
    assert list(comment.themes.names()) == ["Từ cổng tỉnh"]
    assert sent_to_crm == [comment.receipt_code]


def test_a_double_click_that_races_the_duplicate_check_gets_the_first_receipt(
    client, send, monkeypatch
):
    """The second click's insert hits the unique constraint: serve answers with the first."""
    store = ConsultationPage.process_comment_submission
    calls = []

    def process_comment_submission(self, request, form):
        calls.append(form.cleaned_data["email"])
        store(self, request, form)  # the first click, stored meanwhile
        return store(self, request, form)  # this click: same email and text

    monkeypatch.setattr(ConsultationPage, "process_comment_submission", process_comment_submission)
    response = send()

    comment = PublicComment.objects.get()
    assert calls == ["an.nguyen@example.vn"]
    assert response.status_code == 303
    receipt = client.get(response["Location"])
    assert comment.receipt_code in receipt.content.decode()
    assert comment.receipt_code.endswith("-000001")
    # Gaps are tolerated (a PostgreSQL sequence does not give the losing click's
    # number back); a stored code is never issued again.
    assert ReceiptCounter.next_code() > comment.receipt_code


def test_an_integrity_error_of_another_kind_is_not_hidden(send, monkeypatch):
    def process_comment_submission(self, request, form):
        raise IntegrityError("not a duplicate")

    monkeypatch.setattr(ConsultationPage, "process_comment_submission", process_comment_submission)
    with pytest.raises(IntegrityError, match="not a duplicate"):
        send()


# --- get_comment_form -----------------------------------------------------------------


class WardCommentForm(CommentForm):
    """A portal asking which ward (phường, xã) the commenter lives in."""

    ward = forms.CharField(label="Ward or commune", max_length=100)

    def clean_ward(self):
        ward = self.cleaned_data["ward"].strip()
        if not ward.lower().startswith(("phường", "xã")):
            raise forms.ValidationError('Start with "Phường" or "Xã".')
        return ward


@pytest.fixture
def ward_form(monkeypatch):
    def get_comment_form(self, request, data=None, files=None, **kwargs):
        return WardCommentForm(data, files, consultation=self, draft=self.draft_policy, **kwargs)

    monkeypatch.setattr(ConsultationPage, "get_comment_form", get_comment_form)


@pytest.mark.usefixtures("ward_form")
def test_the_blank_form_is_the_portals(client, consultation):
    response = client.get(consultation.url + "?comment_on=a2")

    assert isinstance(response.context["comment_form"], WardCommentForm)
    assert response.context["comment_form"]["article"].value() == "a2"
    assert soup_of(response).select_one("input[name=ward]") is not None


@pytest.mark.usefixtures("ward_form")
def test_the_portals_check_refuses_keeping_the_text(send, storage_dir):
    body = "Đề nghị bổ sung quy định chuyển tiếp cho hợp đồng đã ký."
    response = send(body=body, ward="Thôn Đông")

    assert response.status_code == 200
    assert isinstance(response.context["comment_form"], WardCommentForm)
    soup = soup_of(response)
    assert soup.select_one("textarea[name=body]").get_text().lstrip("\n") == body
    assert soup.select_one("input[name=ward]")["value"] == "Thôn Đông"
    assert 'Start with "Phường" or "Xã".' in soup.get_text()
    assert PublicComment.objects.count() == 0
    assert factories.stored_files(storage_dir) == []


@pytest.mark.usefixtures("ward_form")
def test_the_portals_field_is_required_and_a_valid_post_is_stored(send):
    assert send().status_code == 200  # no ward: refused
    assert send(ward="Phường Hiến Nam").status_code == 303
    assert PublicComment.objects.count() == 1


# --- render_comment_refusal -----------------------------------------------------------


@pytest.fixture
def refusals(monkeypatch):
    seen = []

    def render_comment_refusal(self, request, form, closed=False):
        seen.append((closed, form.data.get("body")))
        return HttpResponse("Portal refusal", status=422)

    monkeypatch.setattr(ConsultationPage, "render_comment_refusal", render_comment_refusal)
    return seen


def test_a_refused_form_goes_through_the_portals_refusal(send, refusals):
    response = send(body="Ngắn", consent=None)

    assert (response.status_code, response.content) == (422, b"Portal refusal")
    assert refusals == [(False, "Ngắn")]
    assert PublicComment.objects.count() == 0


def test_a_closed_round_goes_through_the_portals_refusal(send, draft, refusals):
    closed = factories.make_round_with_status(draft, "closed")
    response = send(page=closed, body="Ý kiến gửi sau khi đã hết hạn lấy ý kiến.")

    assert response.status_code == 422
    assert refusals == [(True, "Ý kiến gửi sau khi đã hết hạn lấy ý kiến.")]
    assert PublicComment.objects.count() == 0
