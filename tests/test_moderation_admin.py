"""The moderation queue's screens: the listing (default, filters, search, columns, query
count), the inspect view (everything, personal data only with the permission), the
duplicate-group listing and the admin menu.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from wagtail_policycomms.filters import WHOLE_DRAFT, PublicCommentFilterSet
from wagtail_policycomms.models import CommenterType, CommentStatus, PublicComment
from wagtail_policycomms.views.pagination import CappedCountPaginator

NS = "wagtailsnippets_wagtail_policycomms_publiccomment"
P, A, R, S = (
    CommentStatus.PENDING,
    CommentStatus.APPROVED,
    CommentStatus.REJECTED,
    CommentStatus.SPAM,
)


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def listed(client, **params):
    """Receipt codes on the listing's (first) page for these query parameters."""
    response = client.get(url("list"), params)
    assert response.status_code == 200
    return {comment.receipt_code for comment in response.context["object_list"]}


@pytest.fixture(scope="module")
def shared_round(module_db):
    """A section, a draft with two articles and its open round, built once for the module
    (``module_db``); every comment is a test's own."""
    home = factories.make_home()
    index = factories.make_index(home)
    draft = factories.make_draft(
        index,
        articles=[
            factories.article(1, "Phạm vi điều chỉnh", block_id="dieu-1"),
            factories.article(2, "Đối tượng áp dụng", block_id="dieu-2"),
        ],
    )
    consultation = factories.make_round_with_status(draft, "open")
    return {"home": home, "index": index, "draft": draft, "consultation": consultation}


@pytest.fixture
def home(shared_round, db):
    return factories.fresh(shared_round["home"])


@pytest.fixture
def index(shared_round, db):
    return factories.fresh(shared_round["index"])


@pytest.fixture
def draft(shared_round, db):
    return factories.fresh(shared_round["draft"])


@pytest.fixture
def consultation(shared_round, db):
    return factories.fresh(shared_round["consultation"])


@pytest.fixture
def moderator_client(db):
    return client_for(factories.make_moderator("moderator"))


# --- The queue opens on pending comments ----------------------------------------------


def test_queue_opens_on_pending_comments_with_the_default_shown(moderator_client, consultation):
    pending = factories.make_comment(consultation, status=P)
    approved = factories.make_comment(consultation, status=A)
    response = moderator_client.get(url("list"))
    codes = {c.receipt_code for c in response.context["object_list"]}
    assert codes == {pending.receipt_code}
    assert '<input type="radio" name="status" value="pending" id="id_status_2" checked>' in (
        response.content.decode()
    )
    assert not response.context["is_filtering"]  # the default is not an active filter
    assert f'href="{url("inspect", pending.pk)}"' in response.content.decode()
    assert listed(moderator_client, status="") == {pending.receipt_code, approved.receipt_code}
    assert listed(moderator_client, status=A) == {approved.receipt_code}


def test_menu_has_a_top_level_comments_item(moderator_client):
    response = moderator_client.get(reverse("wagtailadmin_home"))
    assert '"name": "policycomms_comments"' in response.content.decode()
    assert url("list") in response.content.decode()


# --- Filters ------------------------------------------------------------------------------


@pytest.fixture
def spread(index, draft, consultation):
    """Comments that differ in one respect each, all pending."""
    other_draft = factories.make_draft(index)
    other_round = factories.make_round_with_status(other_draft, "open")
    earlier = factories.hanoi(2026, 3, 10, 23, 30)  # 10/3 in Hanoi, 10/3 16:30 UTC
    comments = {
        "plain": factories.make_comment(consultation, status=P),
        "other_draft": factories.make_comment(other_round, status=P),
        "article": factories.make_comment(
            consultation, status=P, article_id="dieu-2", article_heading="Đối tượng áp dụng"
        ),
        "business": factories.make_comment(
            consultation,
            status=P,
            commenter_type=CommenterType.BUSINESS,
            organisation_name="Công ty TNHH Phố Hiến",
        ),
        "early": factories.make_comment(consultation, status=P, submitted_at=earlier),
        "answered": factories.make_comment(consultation, status=P),
        "themed": factories.make_comment(consultation, status=P),
        "with_file": factories.make_comment(consultation, status=P),
    }
    comments["dupes"] = factories.make_duplicates(consultation, 3, status=P)
    factories.attach_file(comments["with_file"])
    factories.answer_comments(
        PublicComment.objects.filter(pk=comments["answered"].pk), published=True
    )
    factories.tag_comments([comments["themed"]], "Phí, lệ phí")
    return comments


def codes(*comments):
    return {c.receipt_code for c in comments}


def test_filters_by_draft_and_consultation(moderator_client, spread, draft, consultation):
    others = codes(spread["other_draft"])
    assert others.isdisjoint(listed(moderator_client, draft=draft.pk))
    assert listed(moderator_client, draft=spread["other_draft"].consultation.get_parent().pk) == (
        others
    )
    assert others.isdisjoint(listed(moderator_client, consultation=consultation.pk))
    assert codes(spread["plain"]) <= listed(moderator_client, consultation=consultation.pk)


def test_filters_by_article_offering_the_consultations_articles(moderator_client, spread):
    response = moderator_client.get(url("list"), {"consultation": spread["plain"].consultation_id})
    choices = dict(response.context["filters"].form.fields["article"].choices)
    # Named from the draft's own blocks (blocks.article_label), not the comments' snapshot.
    assert choices["dieu-2"] == "2. Đối tượng áp dụng"
    assert listed(moderator_client, article="dieu-2") == codes(spread["article"])
    assert codes(spread["article"]).isdisjoint(listed(moderator_client, article="-"))


def test_article_choices_come_from_the_draft_in_its_order_without_reading_comments(
    moderator_client, spread, draft, consultation
):
    factories.make_comment(consultation, status=P, article_id="gone", article_heading="Cũ")
    request = moderator_client.get(url("list")).wsgi_request
    expected = [
        WHOLE_DRAFT,
        ("dieu-1", "1. Phạm vi điều chỉnh"),
        ("dieu-2", "2. Đối tượng áp dụng"),
    ]
    for data in ({"consultation": str(consultation.pk)}, {"draft": str(draft.pk)}):
        filters = PublicCommentFilterSet(data, request=request)
        with CaptureQueriesContext(connection) as queries:
            choices = [(value, str(label)) for value, label in filters.article_choices()]
        assert [choices[0][0], *choices[1:]] == expected
        assert not [q for q in queries if PublicComment._meta.db_table in q["sql"]]
    # No draft chosen: "whole draft" and the article asked for, which still filters
    # (a stale id does not invalidate the form).
    filters = PublicCommentFilterSet({"article": "gone"}, request=request)
    with CaptureQueriesContext(connection) as queries:
        assert [value for value, _label in filters.article_choices()] == [WHOLE_DRAFT, "gone"]
    assert not [q for q in queries if PublicComment._meta.db_table in q["sql"]]
    response = moderator_client.get(url("list"), {"article": "gone", "draft": draft.pk})
    assert response.context["filters"].is_valid()
    assert {c.article_id for c in response.context["object_list"]} == {"gone"}


def test_filters_by_commenter_type_attachment_answer_and_theme(moderator_client, spread):
    assert listed(moderator_client, commenter_type="business") == codes(spread["business"])
    assert listed(moderator_client, has_attachment="true") == codes(spread["with_file"])
    assert codes(spread["with_file"]).isdisjoint(listed(moderator_client, has_attachment="false"))
    assert listed(moderator_client, answer_state="published") == codes(spread["answered"])
    assert codes(spread["answered"]).isdisjoint(listed(moderator_client, answer_state="none"))
    tag = spread["themed"].themes.get()
    assert listed(moderator_client, theme=tag.pk) == codes(spread["themed"])


def test_filters_by_date_range_on_the_hanoi_calendar(moderator_client, spread):
    assert listed(moderator_client, submitted_from="2026-03-10", submitted_to="2026-03-10") == (
        codes(spread["early"])
    )
    assert listed(moderator_client, submitted_from="2026-03-11", submitted_to="2026-03-11") == set()


def test_filters_duplicates_and_one_group(moderator_client, spread):
    dupes = codes(*spread["dupes"])
    assert listed(moderator_client, duplicates="grouped") == dupes
    assert dupes.isdisjoint(listed(moderator_client, duplicates="unique"))
    assert listed(moderator_client, group=spread["dupes"][1].pk) == dupes
    # A consultation's largest groups are offered; a group asked for is offered too.
    first = spread["dupes"][0]
    for params in ({"consultation": first.consultation_id}, {"group": first.pk}):
        response = moderator_client.get(url("list"), params)
        labels = dict(response.context["filters"].form.fields["group"].choices)
        assert "(a group of 3 comments)" in labels[str(first.pk)]
    assert "in a group of 3" in response.content.decode()


def test_search_covers_text_names_organisation_and_receipt_code(moderator_client, consultation):
    named = factories.make_comment(consultation, status=P, display_name="Trần Thị Bích")
    business = factories.make_comment(
        consultation, status=P, organisation_name="Hợp tác xã Tân Hưng", body="Về phí thẩm định."
    )
    assert listed(moderator_client, q="Bích") == codes(named)
    assert listed(moderator_client, q="tân hưng") == codes(business)
    assert listed(moderator_client, q="thẩm định") == codes(business)
    assert listed(moderator_client, q=named.receipt_code) == codes(named)
    # Without the personal-data permission, names that were not published are not searched.
    no_pii = client_for(factories.make_moderator("no_pii", personal_data=False))
    assert listed(no_pii, q="Bích") == set()


def test_the_article_and_group_selects_send_all_by_default(moderator_client, consultation):
    """A browser sends a select's first option when none is chosen: it must be "All", or
    every search of the queue is limited to the whole draft (or the largest group)."""
    on_article = factories.make_comment(consultation, status=P, article_id="a1")
    factories.make_duplicates(consultation, 3, status=P)
    response = moderator_client.get(url("list"), {"consultation": consultation.pk})
    fields = response.context["filters"].form.fields
    for name in ("article", "group"):
        first_value, _label = list(fields[name].choices)[0]
        assert first_value == "", name
    sent = {"q": on_article.receipt_code, "article": "", "group": ""}
    assert listed(moderator_client, **sent) == codes(on_article)


def test_search_matches_codes_by_their_beginning_only(moderator_client, consultation):
    comment = factories.make_comment(consultation, status=P)
    other = factories.make_comment(consultation, status=P)
    assert listed(moderator_client, q=comment.receipt_code.lower()) == codes(comment)
    assert listed(moderator_client, q=comment.receipt_code[:-1]) >= codes(comment)
    # A year alone is text, not a code: it does not list every code of the year.
    year = comment.receipt_code.split("-")[1]
    assert listed(moderator_client, q=year).isdisjoint(codes(comment, other))


def test_search_has_trigram_indexes_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps the plain search")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [PublicComment._meta.db_table],
        )
        indexes = dict(cursor.fetchall())
    for name, column in [
        ("pc_comment_body_trgm", "body"),
        ("pc_comment_org_trgm", "organisation_name"),
        ("pc_comment_name_trgm", "display_name"),
    ]:
        definition = indexes[name]
        assert "USING gin (upper(" in definition and "gin_trgm_ops" in definition, definition
        assert column in definition, definition


def test_count_stops_at_the_cap(moderator_client, consultation, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 3)
    monkeypatch.setattr(CappedCountPaginator, "per_page", 2, raising=False)
    factories.make_duplicates(consultation, 6, status=P, body="Đề nghị bỏ phí thẩm định.")
    response = moderator_client.get(url("list"))
    content = response.content.decode()
    assert response.context["paginator"].count == 4  # 3 + 1 read, never the 6
    assert "More than 3 comments" in content and "Page 1 of" not in content
    searched = moderator_client.get(url("list"), {"q": "phí thẩm định"}).content.decode()
    assert "There are more than 3 matches" in searched
    # Under the cap the count is exact.
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 10)
    content = moderator_client.get(url("list")).content.decode()
    assert "More than" not in content and "6 public comments" in content


def test_listing_is_sortable_and_paginated(moderator_client, consultation):
    comments = factories.make_duplicates(consultation, 30, status=P)
    oldest_first = moderator_client.get(url("list"), {"ordering": "submitted_at"})
    assert oldest_first.context["object_list"][0].pk == comments[-1].pk
    assert len(oldest_first.context["object_list"]) == 20
    page_2 = moderator_client.get(url("list"), {"p": 2})
    assert len(page_2.context["object_list"]) == 10


# --- Columns and query count ------------------------------------------------------------


def test_name_column_respects_the_personal_data_permission(consultation):
    comment = factories.make_comment(
        consultation, status=P, display_name="Lê Văn Cường", publish_name=False
    )
    with_pii = client_for(factories.make_moderator("with_pii")).get(url("list"))
    without = client_for(factories.make_moderator("without", personal_data=False)).get(url("list"))
    assert "Lê Văn Cường" in with_pii.content.decode()
    assert "Lê Văn Cường" not in without.content.decode()
    assert "Anonymous" in without.content.decode()
    assert comment.receipt_code in without.content.decode()


def listing_queries(client, consultation, count):
    factories.make_duplicates(consultation, count, status=P, body=f"Ý kiến hàng loạt {count}")
    answered = list(PublicComment.objects.filter(consultation=consultation)[:2])
    factories.answer_comments(PublicComment.objects.filter(pk__in=[c.pk for c in answered]))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("list"), {"status": ""})
    assert response.status_code == 200
    return len(queries)


def test_listing_takes_the_same_queries_for_5_or_50_comments(moderator_client, index):
    def fresh_round():
        return factories.make_round_with_status(factories.make_draft(index), "open")

    listing_queries(moderator_client, fresh_round(), 1)  # warm caches
    PublicComment.objects.all().delete()
    five = listing_queries(moderator_client, fresh_round(), 5)
    PublicComment.objects.all().delete()
    assert listing_queries(moderator_client, fresh_round(), 50) == five  # over a page (20)


def test_pending_list_and_search_take_the_same_queries_for_5_or_500_comments(
    moderator_client, consultation
):
    def queries_for(count, params):
        PublicComment.objects.all().delete()
        PublicComment.objects.bulk_create(
            factories.build_comments(consultation, count, status=P, body="Góp ý về lệ phí.")
            + factories.build_comments(consultation, count, status=P)
        )
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(url("list"), params)
        matches = count if "q" in params else 2 * count
        assert len(response.context["object_list"]) == min(matches, 20)
        return len(queries)

    for params in ({}, {"q": "lệ phí"}, {"consultation": consultation.pk}):
        queries_for(1, params)  # warm caches
        assert queries_for(5, params) == queries_for(500, params), params


# --- Inspect ------------------------------------------------------------------------------


@pytest.fixture
def full_comment(consultation):
    comment = factories.make_comment(
        consultation,
        status=P,
        display_name="Phạm Thu Hà",
        email="ha.pham@example.vn",
        phone="0987 654 321",
        address="Số 9 phố Bạch Đằng",
        ip_address="203.113.0.0",
        user_agent="Mozilla/5.0 Kiểm thử",
        article_id="dieu-1",
        article_heading="Phạm vi điều chỉnh",
    )
    factories.attach_file(comment, name="kien-nghi.pdf")
    factories.tag_comments([comment], "Thủ tục hành chính")
    factories.answer_comments(PublicComment.objects.filter(pk=comment.pk), text="Tiếp thu.")
    return comment


PERSONAL = ["Phạm Thu Hà", "ha.pham@example.vn", "0987 654 321", "Số 9 phố Bạch Đằng",
            "203.113.0.0", "Mozilla/5.0 Kiểm thử", "kien-nghi.pdf"]  # fmt: skip


def test_inspect_shows_everything_to_a_moderator(moderator_client, full_comment):
    response = moderator_client.get(url("inspect", full_comment.pk))
    content = response.content.decode()
    for text in [
        full_comment.receipt_code,
        "Phạm vi điều chỉnh",
        full_comment.body,
        "2026-01",  # consent notice version
        "receive_and_answer_comment",
        "Thủ tục hành chính",
        "Tiếp thu.",
        *PERSONAL,
    ]:
        assert text in content, text
    attachment = full_comment.attachments.get()
    assert reverse("wagtail_policycomms:attachment_download", args=[attachment.pk]) in content
    assert url("history", full_comment.pk) in content
    assert url("moderate", full_comment.pk, "approve") in content


def test_inspect_hides_personal_data_without_the_permission(full_comment):
    client = client_for(factories.make_moderator("no_pii", personal_data=False))
    content = client.get(url("inspect", full_comment.pk)).content.decode()
    assert full_comment.body in content and "1 attachment." in content
    for text in PERSONAL:
        assert text not in content, text
    assert "attachment_download" not in content and "/attachments/" not in content


def test_inspect_lists_recent_history(moderator_client, full_comment):
    moderator_client.post(url("moderate", full_comment.pk, "spam"), {"seen_status": P})
    content = moderator_client.get(url("inspect", full_comment.pk)).content.decode()
    assert "Comment marked as spam" in content


# --- Duplicate groups ---------------------------------------------------------------------


def test_group_listing_shows_groups_of_two_or_more_largest_first(moderator_client, consultation):
    big = factories.make_duplicates(consultation, 4, status=P, body="Đề nghị giảm phí.")
    small = factories.make_duplicates(consultation, 2, status=P, body="Đề nghị kéo dài thời hạn.")
    PublicComment.objects.filter(pk=big[0].pk).update(status=A)
    factories.make_comment(consultation, status=P, body="Ý kiến riêng lẻ, không trùng.")
    response = moderator_client.get(url("groups"))
    rows = list(response.context["object_list"])
    assert [row["size"] for row in rows] == [4, 2]
    assert rows[0]["text"] == "Đề nghị giảm phí." and rows[1]["text"] == small[0].body
    assert (rows[0]["count_pending"], rows[0]["count_approved"]) == (3, 1)
    content = response.content.decode()
    assert "Pending: 3" in content and "Approved: 1" in content
    assert url("group_moderate", rows[0]["representative"], "approve") in content
    assert [
        r["size"]
        for r in moderator_client.get(url("groups"), {"min_size": 3}).context["object_list"]
    ] == [4]


def test_group_listing_queries_do_not_grow_with_groups(moderator_client, consultation):
    def queries_for(groups):
        for n in range(groups):
            factories.make_duplicates(consultation, 2, body=f"Nhóm {groups}-{n} đề nghị sửa.")
        with CaptureQueriesContext(connection) as queries:
            moderator_client.get(url("groups"))
        return len(queries)

    queries_for(1)
    assert queries_for(3) == queries_for(12)


def test_submitted_column_uses_hanoi_dates(moderator_client, consultation):
    when = factories.hanoi(2026, 5, 2, 7, 5) + timedelta(seconds=1)
    factories.make_comment(consultation, status=P, submitted_at=when)
    assert "02/05/2026 07:05" in moderator_client.get(url("list")).content.decode()


def test_queue_exports_what_it_shows(consultation):
    pending = factories.make_comment(consultation, status=P)
    approved = factories.make_comment(consultation, status=A)
    exporter = client_for(
        factories.make_staff(
            "exporter", [factories.VIEW_COMMENTS, "wagtail_policycomms.export_publiccomment"]
        )
    )
    text = b"".join(exporter.get(url("list"), {"export": "csv"}).streaming_content).decode()
    assert pending.receipt_code in text and approved.receipt_code not in text
    assert "export=xlsx" in exporter.get(url("list")).content.decode()
    viewer = client_for(factories.make_moderator("viewer", moderate=False))
    assert viewer.get(url("list"), {"export": "csv"}).status_code == 403
