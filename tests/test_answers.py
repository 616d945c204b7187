"""Official answers: who may answer and publish, single and group answers, themes, public display.

Staff users are real members of the package's groups (``setup_groups``) and of units;
every change goes through the admin views with the test client.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms import moderation
from wagtail_policycomms.models import CommentResponse, Disposition, PublicComment
from wagtail_policycomms.models.comments import text_hash
from wagtail_policycomms.permissions import DRAFTING_EDITORS, MODERATORS, setup_groups

CAMPAIGN = "Đề nghị nâng mức hỗ trợ cho doanh nghiệp nhỏ và vừa lên 70% chi phí."


def staff(group_name, *units):
    """A user of one of the package's groups, member of ``units``, whose admin is in English."""
    return factories.make_member(group_name, units=units)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def answer_url(comment):
    return reverse("wagtail_policycomms_admin:answer_comment", args=[comment.pk])


def group_url(consultation, text):
    return reverse(
        "wagtail_policycomms_admin:answer_group", args=[consultation.pk, text_hash(text)]
    )


def answer_data(unit, disposition="accepted", text="Tiếp thu, điều chỉnh Điều 1.", **extra):
    return {"disposition": disposition, "text": text, "answering_unit": unit.pk, **extra}


def without_log_inserts(queries):
    return [
        q["sql"].lstrip()
        for q in queries.captured_queries
        if not q["sql"].lstrip().startswith('INSERT INTO "wagtailcore_modellogentry"')
    ]


def log_actions(comment):
    return list(
        ModelLogEntry.objects.filter(object_id=str(comment.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


@pytest.fixture(scope="module")
def shared_round(module_db):
    """The package's groups, a drafting unit and an open round on its draft, built once for
    the module (``module_db``); comments, answers and staff are each test's own."""
    home = factories.make_home()
    index = factories.make_index(home)
    setup_groups()
    drafting_unit = factories.make_unit("Phòng Quản lý Công nghệ và Đổi mới sáng tạo")
    draft = factories.make_draft(index, drafting_unit=drafting_unit)
    consultation = factories.make_round_with_status(draft, "open")
    return {
        "home": home,
        "index": index,
        "drafting_unit": drafting_unit,
        "consultation": consultation,
    }


@pytest.fixture(autouse=True)
def groups(shared_round, db):
    """The package's groups (``setup_groups``), made in ``shared_round``."""


@pytest.fixture
def home(shared_round, db):
    return factories.fresh(shared_round["home"])


@pytest.fixture
def index(shared_round, db):
    return factories.fresh(shared_round["index"])


@pytest.fixture
def drafting_unit(shared_round, db):
    return factories.fresh(shared_round["drafting_unit"])


@pytest.fixture
def other_unit(db):
    return factories.make_unit("Phòng Quản lý Khoa học")


@pytest.fixture
def consultation(shared_round, db):
    """An open round on a draft of ``drafting_unit``."""
    return factories.fresh(shared_round["consultation"])


@pytest.fixture
def comment(consultation):
    return factories.make_comment(consultation, body="Đề nghị làm rõ phạm vi điều chỉnh.")


@pytest.fixture
def editor(drafting_unit):
    return staff(DRAFTING_EDITORS, drafting_unit)


@pytest.fixture
def moderator(db):
    return staff(MODERATORS)


# --- Answering one comment -------------------------------------------------------------------


def test_answer_page_names_the_author_as_staff_see_it(consultation, editor, moderator):
    """One staff-facing author (``PublicComment.staff_author``): "Name (Organisation)" for those
    who may see personal data (moderators), the public name for the drafting unit."""
    comment = factories.make_comment(
        consultation,
        commenter_type="business",
        display_name="Trần Thị Kín Đáo",
        organisation_name="Công ty TNHH Sáng Tạo",
        publish_name=False,
    )
    facts = soup_of(client_for(moderator).get(answer_url(comment))).select_one(".pc-admin-facts")
    assert "Trần Thị Kín Đáo (Công ty TNHH Sáng Tạo)" in facts.get_text()
    facts = soup_of(client_for(editor).get(answer_url(comment))).select_one(".pc-admin-facts")
    assert "Công ty TNHH Sáng Tạo" in facts.get_text()
    assert "Kín Đáo" not in facts.get_text()


def test_drafting_unit_member_answers_a_comment(comment, editor, drafting_unit, other_unit):
    client = client_for(editor)
    page = client.get(answer_url(comment))
    assert page.status_code == 200
    form = page.context["form"]
    # Only the editor's own units; the drafting unit is proposed.
    assert list(form.fields["answering_unit"].queryset) == [drafting_unit]
    assert form.initial["answering_unit"] == drafting_unit.pk
    assert comment.body in page.content.decode()

    response = client.post(answer_url(comment), answer_data(drafting_unit, "partly_accepted"))
    assert response.status_code == 302
    comment.refresh_from_db()
    answer = comment.response
    assert (answer.disposition, answer.text, answer.answering_unit) == (
        "partly_accepted",
        "Tiếp thu, điều chỉnh Điều 1.",
        drafting_unit,
    )
    assert answer.created_by == editor and not answer.is_published
    assert answer.consultation_id == comment.consultation_id
    entry = ModelLogEntry.objects.get(
        object_id=str(comment.pk), action="wagtail_policycomms.answer"
    )
    assert entry.user == editor and entry.data["disposition"] == "partly_accepted"


def test_editing_prefills_and_keeps_the_same_answer(comment, editor, drafting_unit):
    client = client_for(editor)
    client.post(answer_url(comment), answer_data(drafting_unit))
    first = PublicComment.objects.get(pk=comment.pk).response

    form = client.get(answer_url(comment)).context["form"]
    assert form.initial == {
        "disposition": "accepted",
        "text": "Tiếp thu, điều chỉnh Điều 1.",
        "answering_unit": drafting_unit.pk,
    }
    client.post(answer_url(comment), answer_data(drafting_unit, "explained", text="Giữ nguyên."))
    assert CommentResponse.objects.count() == 1
    first.refresh_from_db()
    assert (first.disposition, first.text) == ("explained", "Giữ nguyên.")
    assert log_actions(comment).count("wagtail_policycomms.answer") == 2


def test_other_units_member_is_refused_and_nothing_changes(comment, other_unit):
    outsider = staff(DRAFTING_EDITORS, other_unit)
    client = client_for(outsider)
    assert client.get(answer_url(comment)).status_code == 403
    assert client.post(answer_url(comment), answer_data(other_unit)).status_code == 403
    assert (
        client.post(
            reverse("wagtail_policycomms_admin:themes", args=[comment.pk]), {"themes": "x"}
        ).status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.response is None and not comment.themes.exists()
    assert not CommentResponse.objects.exists()
    assert log_actions(comment) == []


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Permission denied"), ("vi", "Không có quyền truy cập")]
)
def test_refusal_is_a_403_in_the_admin_layout_in_the_users_language(
    comment, other_unit, language, title
):
    """``permissions.forbidden``: the admin's own page (menu, header), not a bare error page,
    in the language the person chose for the admin."""
    outsider = staff(DRAFTING_EDITORS, other_unit)
    profile = UserProfile.get_for_user(outsider)
    profile.preferred_language = language
    profile.save()
    response = client_for(outsider).get(answer_url(comment))
    assert response.status_code == 403
    page = soup_of(response)
    assert page.select_one("aside.sidebar, [data-wagtail-sidebar], #wagtail-sidebar") is not None
    assert page.select_one("h1").get_text(strip=True) == title
    assert page.find("a", href=reverse("wagtailadmin_home")) is not None


def test_unit_member_without_the_answer_permission_is_refused(comment, drafting_unit):
    member = factories.make_user()
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    drafting_unit.members.add(member)
    assert (
        client_for(member).post(answer_url(comment), answer_data(drafting_unit)).status_code == 403
    )
    assert not CommentResponse.objects.exists()


def test_a_unit_outside_the_editors_own_is_refused(comment, editor, other_unit):
    response = client_for(editor).post(answer_url(comment), answer_data(other_unit))
    assert response.status_code == 200
    assert "answering_unit" in response.context["form"].errors
    assert not CommentResponse.objects.exists()


def test_moderator_answers_any_comment_for_any_active_unit(comment, moderator, other_unit):
    client = client_for(moderator)
    units = client.get(answer_url(comment)).context["form"].fields["answering_unit"].queryset
    assert other_unit in units
    client.post(answer_url(comment), answer_data(other_unit))
    assert PublicComment.objects.get(pk=comment.pk).response.answering_unit == other_unit


def test_separate_answer_for_one_member_of_a_shared_answer(consultation, editor, drafting_unit):
    first, second = (factories.make_comment(consultation, body=CAMPAIGN) for __ in range(2))
    client = client_for(editor)
    client.post(group_url(consultation, CAMPAIGN), answer_data(drafting_unit))
    shared = PublicComment.objects.get(pk=first.pk).response

    assert "separate" in client.get(answer_url(first)).context["form"].fields
    client.post(answer_url(first), answer_data(drafting_unit, "explained", separate="on"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.response != shared and first.response.disposition == "explained"
    assert second.response == shared and shared.disposition == "accepted"


# --- Answering a group -------------------------------------------------------------------------


def test_group_answer_applies_to_every_member_in_constant_queries(
    consultation, editor, drafting_unit
):
    PublicComment.objects.bulk_create(
        factories.build_comments(consultation, 5, body="Ý kiến để làm nóng bộ nhớ đệm.")
        + factories.build_comments(consultation, 30, body=CAMPAIGN)
        + factories.build_comments(consultation, 300, body=CAMPAIGN + " Lần hai.")
    )
    other = factories.make_comment(consultation, body="Một ý kiến khác hẳn.")
    client = client_for(editor)
    client.post(
        group_url(consultation, "Ý kiến để làm nóng bộ nhớ đệm."), answer_data(drafting_unit)
    )

    with CaptureQueriesContext(connection) as small:
        response = client.post(group_url(consultation, CAMPAIGN), answer_data(drafting_unit))
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as large:
        client.post(group_url(consultation, CAMPAIGN + " Lần hai."), answer_data(drafting_unit))
    # The audit entries are inserted in chunks (SQLite splits them further by its
    # parameter limit); everything else is the same whatever the group's size.
    assert len(without_log_inserts(large)) == len(without_log_inserts(small))
    updates = [sql for sql in without_log_inserts(large) if sql.startswith("UPDATE")]
    assert len(updates) == 1 and "wagtail_policycomms_publiccomment" in updates[0]

    big = PublicComment.objects.filter(text_hash=text_hash(CAMPAIGN + " Lần hai."))
    assert big.count() == 300
    assert big.values("response").distinct().count() == 1 and big.first().response_id
    assert (
        PublicComment.objects.filter(text_hash=text_hash(CAMPAIGN)).exclude(response=None).count()
        == 30
    )
    assert CommentResponse.objects.count() == 3
    assert (
        ModelLogEntry.objects.filter(
            action="wagtail_policycomms.answer", object_id__in=[str(c.pk) for c in big]
        ).count()
        == 300
    )
    other.refresh_from_db()
    assert other.response is None


def test_group_page_shows_size_and_prefills_the_shared_answer(consultation, moderator):
    for __ in range(3):
        factories.make_comment(consultation, body=CAMPAIGN)
    client = client_for(moderator)
    page = client.get(group_url(consultation, CAMPAIGN))
    assert page.status_code == 200
    assert "3 identical comments" in page.content.decode()
    unit = factories.make_unit()
    client.post(group_url(consultation, CAMPAIGN), answer_data(unit, "explained"))
    assert client.get(group_url(consultation, CAMPAIGN)).context["form"].initial["disposition"] == (
        "explained"
    )
    assert client.get(group_url(consultation, "không có")).status_code == 404


def test_group_of_another_units_draft_is_refused(consultation, other_unit):
    factories.make_comment(consultation, body=CAMPAIGN)
    client = client_for(staff(DRAFTING_EDITORS, other_unit))
    assert (
        client.post(group_url(consultation, CAMPAIGN), answer_data(other_unit)).status_code == 403
    )
    assert not CommentResponse.objects.exists()


# --- Publishing ------------------------------------------------------------------------------


def answers_on_page(client, consultation):
    page = client.get(consultation.url)
    assert page.status_code == 200
    return soup_of(page).select(".pc-comment .pc-answer")


def test_only_moderators_publish_and_the_public_page_follows(
    client, comment, editor, moderator, drafting_unit
):
    client_for(editor).post(answer_url(comment), answer_data(drafting_unit, "partly_accepted"))
    answer = PublicComment.objects.get(pk=comment.pk).response
    publish = reverse("wagtail_policycomms_admin:publish_answer", args=[answer.pk])
    unpublish = reverse("wagtail_policycomms_admin:unpublish_answer", args=[answer.pk])
    assert answers_on_page(client, comment.consultation) == []

    assert client_for(editor).post(publish).status_code == 403
    answer.refresh_from_db()
    assert not answer.is_published
    assert client_for(moderator).get(publish).status_code == 405

    assert client_for(moderator).post(publish).status_code == 302
    answer.refresh_from_db()
    assert answer.is_published and answer.published_at
    (shown,) = answers_on_page(client, comment.consultation)
    text = shown.get_text()
    # The public page speaks the site's language (Vietnamese).
    with translation.override("vi"):
        assert str(Disposition.PARTLY_ACCEPTED.label) in text
    assert drafting_unit.name in text
    assert "Tiếp thu, điều chỉnh Điều 1." in text

    client_for(moderator).post(unpublish)
    assert answers_on_page(client, comment.consultation) == []
    assert log_actions(comment) == [
        "wagtail_policycomms.answer",
        "wagtail_policycomms.answer_publish",
        "wagtail_policycomms.answer_unpublish",
    ]


def test_answer_of_an_unapproved_comment_is_not_shown(client, consultation, moderator):
    hidden = factories.make_comment(consultation, status="pending", body="Chờ duyệt.")
    client = client_for(moderator)
    client.post(answer_url(hidden), answer_data(factories.make_unit()))
    answer = PublicComment.objects.get(pk=hidden.pk).response
    client.post(reverse("wagtail_policycomms_admin:publish_answer", args=[answer.pk]))
    assert answers_on_page(Client(), consultation) == []


def test_an_editor_changing_a_published_answer_unpublishes_it(comment, editor, moderator):
    unit = comment.consultation.draft_policy.drafting_unit
    client_for(editor).post(answer_url(comment), answer_data(unit))
    answer = PublicComment.objects.get(pk=comment.pk).response
    client_for(moderator).post(
        reverse("wagtail_policycomms_admin:publish_answer", args=[answer.pk])
    )

    client_for(moderator).post(answer_url(comment), answer_data(unit, text="Sửa bởi kiểm duyệt."))
    answer.refresh_from_db()
    assert answer.is_published

    client_for(editor).post(answer_url(comment), answer_data(unit, text="Sửa bởi biên tập."))
    answer.refresh_from_db()
    assert not answer.is_published and answer.text == "Sửa bởi biên tập."


def test_published_answers_keep_the_page_constant_in_queries(client, consultation, moderator):
    unit = factories.make_unit()

    def add_answered(count):
        comments = PublicComment.objects.bulk_create(
            factories.build_comments(consultation, count, body=f"Nhóm {count} ý kiến giống nhau.")
        )
        group = PublicComment.objects.filter(pk__in=[c.pk for c in comments])
        answer = moderation.answer(
            group, moderator, disposition="accepted", text=f"Trả lời {count}", answering_unit=unit
        )
        moderation.set_answer_published(answer, moderator, True)

    add_answered(2)
    client.get(consultation.url)
    with CaptureQueriesContext(connection) as few:
        assert len(answers_on_page(client, consultation)) == 2
    add_answered(18)
    with CaptureQueriesContext(connection) as many:
        assert len(answers_on_page(client, consultation)) == 20
    assert len(many) == len(few)


# --- Themes ----------------------------------------------------------------------------------


def test_themes_set_by_the_drafting_unit_and_moderators(comment, editor, moderator):
    url = reverse("wagtail_policycomms_admin:themes", args=[comment.pk])
    response = client_for(editor).post(url, {"themes": "phạm vi điều chỉnh, doanh nghiệp nhỏ"})
    assert response.status_code == 302
    assert sorted(comment.themes.names()) == ["doanh nghiệp nhỏ", "phạm vi điều chỉnh"]

    page = client_for(moderator).get(url)
    assert page.status_code == 200
    client_for(moderator).post(url, {"themes": '"doanh nghiệp nhỏ"'})
    assert list(comment.themes.names()) == ["doanh nghiệp nhỏ"]
    assert list(PublicComment.objects.filter(themes__name="doanh nghiệp nhỏ")) == [comment]
