"""What changed and why: two published versions of a draft's text, article by article.

The comparison runs on real revisions (published through Wagtail), the page through the
test client; the answer form through the admin; the synthesis report is read back with
python-docx and openpyxl.
"""

import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from tests import factories
from wagtail_policycomms.changes import compare, data
from wagtail_policycomms.models import ConsultationPage, DraftPolicyPage, PublicComment
from wagtail_policycomms.synthesis import build_synthesis
from wagtail_policycomms.synthesis.spreadsheet import render_xlsx
from wagtail_policycomms.synthesis.word import render_docx

SECRET = "BIMATSOSANH9Z"


def publish_text(draft, articles):
    """Publish a new version of ``draft``'s text; the draft as live afterwards."""
    page = DraftPolicyPage.objects.get(pk=draft.pk)
    page.body = list(articles)
    page.save_revision().publish()
    return DraftPolicyPage.objects.get(pk=draft.pk)


FIRST = [
    factories.article(
        "Điều 1", "Phạm vi điều chỉnh", "<p>Nghị quyết này quy định mức phí.</p>", block_id="a1"
    ),
    factories.article("Điều 2", "Đối tượng áp dụng", "<p>Cá nhân và tổ chức.</p>", block_id="a2"),
    factories.article(
        "Điều 3", "Mức thu", "<p>Mức thu là 10.000 đồng mỗi lượt.</p>", block_id="a3"
    ),
    factories.article("Điều 4", "Hiệu lực", "<p>Có hiệu lực từ ngày ký.</p>", block_id="a4"),
]
SECOND = [
    factories.article(
        "Điều 1", "Phạm vi điều chỉnh", "<p>Nghị quyết này quy định mức phí.</p>", block_id="a1"
    ),
    # a4 moved before a3, unchanged in its words
    factories.article("Điều 2", "Hiệu lực", "<p>Có hiệu lực từ ngày ký.</p>", block_id="a4"),
    factories.article("Điều 3", "Mức thu", "<p>Mức thu là 5.000 đồng mỗi lượt.</p>", block_id="a3"),
    factories.article("Điều 4", "Miễn phí", "<p>Người cao tuổi được miễn.</p>", block_id="a5"),
    # a2 removed
]


def restricted(block):
    block = {**block, "value": {**block["value"], "classification": "mat"}}
    return block


@pytest.fixture(scope="module")
def shared_world(module_db):
    """A draft put to a closed first round, revised, and put to an open second round, in a
    section of its own: built once for the module (``module_db``)."""
    index = factories.make_index(factories.make_home())
    now = timezone.now()
    draft = factories.make_draft(index, articles=FIRST)
    first = factories.make_consultation(
        draft, now - timedelta(days=60), now - timedelta(days=30), title="Đợt 1"
    )
    first_revision = draft.live_revision_id
    draft = publish_text(draft, SECOND)
    second = factories.make_consultation(
        draft, now - timedelta(days=5), now + timedelta(days=25), title="Đợt 2"
    )
    return {
        "draft": draft,
        "first": ConsultationPage.objects.get(pk=first.pk),
        "second": ConsultationPage.objects.get(pk=second.pk),
        "v1": first_revision,
        "v2": draft.live_revision_id,
    }


@pytest.fixture
def world(shared_world, db):
    return factories.fresh(shared_world)


def kinds(changes):
    return {change.block_id: (change.kind, change.moved) for change in changes}


# --- The comparison ---------------------------------------------------------------------


def test_articles_are_matched_by_block_id(world):
    texts = data.revisions_content(world["draft"], [world["v1"], world["v2"]])
    changes = compare.compare_articles(texts[world["v1"]].articles, texts[world["v2"]].articles)
    assert kinds(changes) == {
        "a1": ("unchanged", False),
        "a2": ("removed", False),
        "a3": ("changed", False),  # its text changed; a4 moved before it, not a3 after a4
        "a4": ("moved", True),  # renumbered Điều 4 → Điều 2: a new number is not a change
        "a5": ("added", False),
    }
    # In the new version's order, the removed article after the one that preceded it.
    assert [change.block_id for change in changes] == ["a1", "a2", "a4", "a3", "a5"]
    a3 = next(change for change in changes if change.block_id == "a3")
    assert '<del class="pc-diff-del">' in a3.text_diff and "10.000" in a3.text_diff
    assert '<ins class="pc-diff-ins">' in a3.text_diff and "5.000" in a3.text_diff


def test_a_move_alone_is_a_move(world):
    old = [
        factories.article("Điều 1", "A", block_id="x"),
        factories.article("Điều 2", "B", block_id="y"),
    ]
    new = [
        factories.article("Điều 2", "B", block_id="y"),
        factories.article("Điều 1", "A", block_id="x"),
    ]
    draft = world["draft"]
    before = publish_text(draft, old)
    after = publish_text(draft, new)
    changes = compare.compare_articles(before.articles, after.articles)
    assert sorted(change.kind for change in changes) == ["moved", "unchanged"]
    assert compare.summary(changes)["moved"] == 1


def test_restricted_articles_are_left_out_of_both_versions(world):
    old = [factories.article("Điều 1", "A", f"<p>{SECRET}</p>", block_id="s")]
    new = [restricted(factories.article("Điều 1", "A", f"<p>{SECRET} mới</p>", block_id="s"))]
    draft = world["draft"]
    changes = compare.compare_articles(
        publish_text(draft, old).articles, publish_text(draft, new).articles
    )
    assert changes == []


# --- The versions put to the rounds --------------------------------------------------------


def test_each_round_records_the_version_put_to_it(world):
    assert world["first"].draft_revision_id == world["v1"]
    assert world["second"].draft_revision_id == world["v2"]


def test_publishing_an_open_or_closed_round_again_keeps_its_version(world):
    first = world["first"]
    first.title = "Đợt 1 (sửa tên)"
    first.save_revision().publish()
    assert ConsultationPage.objects.get(pk=first.pk).draft_revision_id == world["v1"]


def test_a_round_without_a_recorded_version_reads_the_one_most_comments_read(world):
    first = world["first"]
    ConsultationPage.objects.filter(pk=first.pk).update(draft_revision=None)
    for _ in range(2):
        factories.make_comment(first, page_revision_id=world["v2"])
    factories.make_comment(first, page_revision_id=world["v1"])
    draft = world["draft"]
    rounds = data.public_rounds(draft)
    assert rounds[0].draft_revision_id is None
    _versions, by_round = data.round_versions(draft, rounds)
    assert by_round[first.pk] == world["v2"]


# --- The page -----------------------------------------------------------------------------


def changes_url(world, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{world['draft'].url}changes/" + (f"?{query}" if query else "")


@pytest.fixture
def answered(world):
    """Comments of the first round on Điều 3 (a3): explained, accepted (implemented in a3
    of the revised draft), accepted but not published; one pending; one on the removed a2."""
    first = world["first"]
    explained = factories.make_comment(first, article_id="a3", body="Ý kiến giải trình về mức thu.")
    factories.answer_comments(
        PublicComment.objects.filter(pk=explained.pk),
        disposition="explained",
        text="GIAITRINH giữ nguyên.",
        published=True,
    )
    accepted = factories.make_comment(
        first, article_id="a3", body="Ý kiến được tiếp thu về mức thu."
    )
    response = factories.answer_comments(
        PublicComment.objects.filter(pk=accepted.pk), text="TIEPTHU giảm mức thu.", published=True
    )
    response.implemented_in_article = "a3"
    response.save()
    hidden = factories.make_comment(first, article_id="a3", body="Ý kiến có trả lời chưa công bố.")
    factories.answer_comments(PublicComment.objects.filter(pk=hidden.pk), text="CHUACONGBO.")
    factories.make_comment(first, article_id="a3", status="pending", body="Ý kiến CHODUYET.")
    factories.make_comment(first, article_id="a2", body="Ý kiến về điều đã bỏ.")
    return world


def test_the_page_compares_the_texts_of_the_two_rounds_by_default(client, answered):
    response = client.get(changes_url(answered))

    assert response.status_code == 200
    assert response.context["from_version"].revision_id == answered["v1"]
    assert response.context["to_version"].revision_id == answered["v2"]
    assert [v.number for v in response.context["versions"]] == [1, 2]
    html = response.content.decode()
    assert '<del class="pc-diff-del"><span class="visually-hidden">' in html
    assert "10.000" in html and "5.000" in html
    for kind in ("added", "removed", "moved", "changed"):
        assert f"pc-change--{kind}" in html
    # Beside the changed article: its comments, accepted first, published answers only.
    assert html.index("TIEPTHU") < html.index("GIAITRINH")
    assert "CHUACONGBO" not in html and "CHODUYET" not in html
    assert "Ý kiến về điều đã bỏ." in html
    assert 'class="pc-implemented"' in html and 'href="#article-a3"' in html
    assert 'id="article-a3"' in html


def test_the_version_form_is_labelled(client, world):
    soup = factories.soup_of(client.get(changes_url(world)))
    for name in ("from", "to"):
        select = soup.find("select", attrs={"name": name})
        assert soup.find("label", attrs={"for": select["id"]}).get_text(strip=True)


def test_any_two_published_versions_compare(client, world):
    response = client.get(changes_url(world, **{"from": world["v2"], "to": world["v1"]}))
    assert response.status_code == 200
    assert response.context["from_version"].revision_id == world["v2"]
    # The other way round, the added article is a removed one.
    assert response.context["counts"]["removed"] == 1 and response.context["counts"]["added"] == 1


def test_since_the_previous_round(client, world):
    response = client.get(changes_url(world, round=world["second"].pk))
    assert (
        response.context["from_version"].revision_id,
        response.context["to_version"].revision_id,
    ) == (world["v1"], world["v2"])
    first = client.get(changes_url(world, round=world["first"].pk))
    assert first.status_code == 200 and first.context["note"]


def test_links_from_the_draft_and_from_each_round(client, world):
    draft_html = client.get(world["draft"].url).content.decode()
    assert f"changes/?from={world['v1']}&amp;to={world['v2']}" in draft_html
    round_html = client.get(world["second"].url).content.decode()
    assert f"changes/?round={world['second'].pk}" in round_html


def test_restricted_articles_never_reach_the_page(client, index):
    now = timezone.now()
    public = factories.article(
        "Điều 1", "Bí mật", f"<p>{SECRET} công khai lúc đầu.</p>", block_id="s"
    )
    other = factories.article("Điều 2", "Khác", "<p>Nội dung khác.</p>", block_id="o")
    draft = factories.make_draft(index, articles=[public, other])
    factories.make_consultation(draft, now - timedelta(days=60), now - timedelta(days=30))
    v1 = draft.live_revision_id
    changed_other = factories.article("Điều 2", "Khác", "<p>Nội dung đã sửa.</p>", block_id="o")
    draft = publish_text(draft, [restricted(public), changed_other])
    factories.make_consultation(draft, now - timedelta(days=5), now + timedelta(days=25))
    v2 = draft.live_revision_id

    for params in ({}, {"from": v1, "to": v1}, {"from": v1, "to": v2}):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        response = client.get(f"{draft.url}changes/?{query}")
        assert response.status_code == 200
        html = response.content.decode()
        assert SECRET not in html and "Bí mật" not in html
        assert "article-s" not in html
    assert "pc-change--changed" in html and "đã sửa." in html  # the other article is there


@pytest.mark.parametrize(
    "params, status",
    [
        ("from=abc&to=1", 400),
        ("from=1", 400),
        ("to=1", 400),
        ("from=-1&to=1", 400),
        ("from=1e5&to=1", 400),
        (f"from={'9' * 30}&to=1", 400),
        ("round=abc", 400),
        ("round=99999999", 404),
        ("from=99999999&to=99999998", 404),
    ],
)
def test_bad_parameters_are_a_clear_400_or_404(client, world, params, status):
    response = client.get(f"{world['draft'].url}changes/?{params}")
    assert response.status_code == status


def test_revisions_that_are_not_published_versions_of_this_draft_are_404(client, world):
    draft = DraftPolicyPage.objects.get(pk=world["draft"].pk)
    unpublished = draft.save_revision().pk  # saved, never published
    other_page = world["second"].live_revision_id  # a revision of another page
    for bad in (unpublished, other_page):
        url = changes_url(world, **{"from": world["v1"], "to": bad})
        assert client.get(url).status_code == 404


def test_queries_do_not_grow_with_the_comments(client, answered, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = changes_url(answered)
    client.get(url)  # warm the caches (site root paths)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    first = answered["first"]
    PublicComment.objects.bulk_create(
        factories.build_comments(first, 40, article_id="a3")
        + factories.build_comments(first, 40, article_id="a4")
    )
    factories.answer_comments(
        PublicComment.objects.filter(consultation=first, article_id="a4"), published=True
    )
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    html = response.content.decode()
    # At most the configured number per article, and a link to the full list.
    a3 = next(change for change in response.context["changes"] if change.block_id == "a3")
    assert a3.comments.total == 43 and len(a3.comments.comments) == 5
    assert f"{first.url}?article=a3#comments" in html


# --- The answer form ------------------------------------------------------------------------


def test_an_answer_points_to_the_article_that_implements_it(client, editor_client, world):
    from django.urls import reverse

    from wagtail_policycomms import moderation

    comment = factories.make_comment(world["first"], article_id="a2", body="Đề nghị bỏ Điều 2.")
    url = reverse("wagtail_policycomms_admin:answer_comment", args=[comment.pk])
    form = editor_client.get(url).context["form"]
    choices = dict(form.fields["implemented_in_article"].choices)
    assert choices["a5"] == "Điều 4. Miễn phí" and "a2" not in choices  # the latest version's
    unit = world["draft"].drafting_unit
    data_ = {"disposition": "accepted", "text": "Tiếp thu, bỏ Điều 2.", "answering_unit": unit.pk}

    refused = editor_client.post(url, {**data_, "implemented_in_article": "nope"})
    assert refused.status_code == 200 and refused.context["form"].errors
    editor_client.post(url, {**data_, "implemented_in_article": "a5"})

    comment.refresh_from_db()
    assert comment.response.implemented_in_article == "a5"
    assert editor_client.get(url).context["form"].initial["implemented_in_article"] == "a5"
    moderation.set_answer_published(comment.response, None, True)
    with translation.override("en"):
        html = client.get(world["first"].url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="pc-implemented"' in html
    assert f'href="{world["draft"].url}#article-a5"' in html
    assert "Điều 4. Miễn phí" in html


# --- The synthesis report -------------------------------------------------------------------


def test_the_synthesis_report_notes_the_implementing_article(answered):
    synthesis = build_synthesis(answered["first"])
    docx = io.BytesIO()
    render_docx(synthesis, docx)
    docx.seek(0)
    tables = Document(docx).tables  # the official header is a table too
    cells = [cell.text for table in tables for row in table.rows for cell in row.cells]
    assert any("TIEPTHU" in c and "Đã thể hiện tại Điều 3. Mức thu" in c for c in cells)
    assert not any("GIAITRINH" in c and "Đã thể hiện" in c for c in cells)

    xlsx = io.BytesIO()
    render_xlsx(synthesis, xlsx)
    xlsx.seek(0)
    sheet = load_workbook(xlsx)["Bảng tổng hợp"]
    answers = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(a and "TIEPTHU" in a and "Đã thể hiện tại Điều 3. Mức thu" in a for a in answers)
