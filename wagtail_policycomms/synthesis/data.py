"""The report's content, independent of its file format.

``build_synthesis(scope)`` reads the database once and returns plain dataclasses
(``Synthesis``, ``Section``, ``Row``...) that the DOCX and XLSX renderers and the
admin page all draw from, so the counting and grouping rules live in one place.
The legal form's Vietnamese wording is kept here too, for the same reason.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from ..blocks import ArticleLabels
from ..formats import format_date
from ..formats.word import MOTTO  # noqa: F401 (re-exported: synthesis.MOTTO)
from ..models import (
    Campaign,
    CommenterType,
    CommentStatus,
    ConsultationPage,
    DraftPolicyPage,
    PublicComment,
)
from ..models.comments import PUBLISHED, RECEIVED

TITLE = "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý"
COLUMN_HEADINGS = (
    "Nhóm vấn đề / Điều, khoản",
    "Chủ thể góp ý",
    "Nội dung góp ý",
    "Nội dung tiếp thu, giải trình",
)
GENERAL_SECTION = "Góp ý chung về toàn bộ dự thảo"
#: The report is in Vietnamese whatever the admin's language: how an article that has
#: left the draft reads (``blocks.comment_article_label``, the rule everywhere else).
ARTICLE_WORDINGS = {
    "changed": "%(current)s (tại thời điểm góp ý: %(snapshot)s)",
    "removed": "%(snapshot)s (không còn trong dự thảo)",
}
ANONYMOUS = "Ẩn danh"
#: The note under an answer that points to the article of the revised draft carrying it out.
IMPLEMENTED_IN = "(Đã thể hiện tại {article} của dự thảo đã chỉnh lý)"
#: The first part of a campaign row's key; other rows are keyed by (article, text hash).
CAMPAIGN = object()
SIGNATURE_TITLE = "THỦ TRƯỞNG ĐƠN VỊ CHỦ TRÌ SOẠN THẢO"
SIGNATURE_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"
NO_COMMENTS = "Không có ý kiến góp ý được duyệt."
DOCUMENT_TITLE = "Bản tổng hợp, tiếp thu, giải trình ý kiến – {title}"

COMMENTER_TYPES_VI = {
    CommenterType.INDIVIDUAL: "Cá nhân",
    CommenterType.ORGANISATION: "Tổ chức",
    CommenterType.BUSINESS: "Doanh nghiệp",
    CommenterType.AGENCY: "Cơ quan, đơn vị",
}
#: How each disposition opens column 4, as such reports word it.
DISPOSITIONS_VI = {
    "accepted": "Tiếp thu, điều chỉnh",
    "partly_accepted": "Tiếp thu một phần",
    "explained": "Giữ nguyên như dự thảo, giải trình",
    "not_applicable": "Không thuộc phạm vi dự thảo",
}


@dataclass
class Answer:
    disposition: str
    disposition_label: str
    text: str
    published: bool
    #: The revised draft's article that carries the answer out (``CommentResponse.
    #: implemented_in_article``): its block id, and its label once named (``_implemented``).
    implemented_in_article: str = ""
    implemented_in: str = ""

    def __str__(self):
        answer = f"{self.disposition_label}: {self.text}" if self.text else self.disposition_label
        if self.implemented_in:
            answer += "\n" + IMPLEMENTED_IN.format(article=self.implemented_in)
        return answer


@dataclass
class Row:
    """Comments with the same normalised text on one part of the draft, merged."""

    text: str
    authors: list
    receipt_codes: list
    answers: list
    comment_count: int = 0
    #: A campaign of near-identical comments is one row (ACUS 2021-1: listed once, with
    #: its true count): its number and ``Campaign.size``, every member in any status.
    campaign_id: int = None
    campaign_size: int = 0


@dataclass
class Section:
    article_id: str  # "" for comments on the whole draft
    heading: str
    rows: list = field(default_factory=list)


@dataclass
class Period:
    title: str
    opens: str  # dd/mm/yyyy
    closes: str  # the last day comments were taken, dd/mm/yyyy


@dataclass
class Totals:
    received: int
    approved: int
    rejected: int
    pending: int
    spam: int
    #: (Vietnamese label, count of received comments) for every commenter type.
    by_commenter_type: list


@dataclass
class Synthesis:
    title: str
    draft_title: str
    drafting_unit: str
    periods: list
    totals: Totals
    sections: list
    generated_at: object
    draft: object = None
    consultations: list = field(default_factory=list)

    @property
    def row_count(self):
        return sum(len(section.rows) for section in self.sections)


def _scope(scope):
    """(draft, consultations) for a consultation or a draft page."""
    scope = getattr(scope, "specific", scope)
    if isinstance(scope, ConsultationPage):
        return scope.draft_policy, [scope]
    if isinstance(scope, DraftPolicyPage):
        return scope, list(ConsultationPage.objects.child_of(scope).order_by("opens_at"))
    raise TypeError("A synthesis covers a ConsultationPage or a DraftPolicyPage.")


def approved_comments(scope):
    """The comments the report's table is made of: approved ones, all rounds in scope."""
    _draft, consultations = _scope(scope)
    return PublicComment.objects.filter(PUBLISHED, consultation__in=[c.pk for c in consultations])


def _totals(in_scope):
    comments = PublicComment.objects.filter(in_scope).order_by()
    counts = comments.aggregate(
        received=Count("pk", filter=RECEIVED),
        approved=Count("pk", filter=Q(status=CommentStatus.APPROVED)),
        rejected=Count("pk", filter=Q(status=CommentStatus.REJECTED)),
        pending=Count("pk", filter=Q(status=CommentStatus.PENDING)),
        spam=Count("pk", filter=Q(status=CommentStatus.SPAM)),
    )
    by_type = dict(comments.filter(RECEIVED).values_list("commenter_type").annotate(n=Count("pk")))
    return Totals(
        **counts,
        by_commenter_type=[
            (COMMENTER_TYPES_VI[kind], by_type.get(kind.value, 0)) for kind in CommenterType
        ],
    )


#: The columns ``build_synthesis`` reads from each comment and its answer.
REPORT_FIELDS = (
    "article_id",
    "article_heading",
    "text_hash",
    "body",
    "commenter_type",
    "organisation_name",
    "display_name",
    "publish_name",
    "receipt_code",
    "response__disposition",
    "response__text",
    "response__is_published",
    "response__implemented_in_article",
)


def _author(comment):
    """The commenter as the report names them; None for an anonymous individual."""
    if comment.is_organisation and comment.organisation_name:
        return comment.organisation_name
    if comment.publish_name and comment.display_name:
        return comment.display_name
    if comment.is_organisation:
        return f"{COMMENTER_TYPES_VI[comment.commenter_type]} (không nêu tên)"
    return None


class _RowBuilder:
    def __init__(self, comment, answers):
        self.text = comment.body
        self.named = {}  # ordered set of names
        self.anonymous = 0
        self.codes = []
        self.answers = {}  # response id -> Answer, in order of appearance
        self.shared_answers = answers  # response id -> Answer, one for the whole report
        self.campaign_id = comment.campaign_id
        self.campaign_size = 0  # read once for the whole report (``_campaigns``)

    def add(self, comment):
        name = _author(comment)
        if name is None:
            self.anonymous += 1
        else:
            self.named.setdefault(name, None)
        self.codes.append(comment.receipt_code)
        response = comment.response
        if response is not None and response.pk not in self.answers:
            answer = self.shared_answers.get(response.pk)
            if answer is None:
                answer = self.shared_answers[response.pk] = Answer(
                    disposition=response.disposition,
                    disposition_label=DISPOSITIONS_VI.get(
                        response.disposition, response.get_disposition_display()
                    ),
                    text=response.text,
                    published=response.is_published,
                    implemented_in_article=response.implemented_in_article,
                )
            self.answers[response.pk] = answer

    def build(self):
        authors = list(self.named)
        if self.anonymous == 1:
            authors.append(ANONYMOUS)
        elif self.anonymous > 1:
            authors.append(f"{ANONYMOUS} ({self.anonymous} cá nhân)")
        if self.campaign_id is not None:
            authors.insert(0, campaign_line(len(self.codes), self.campaign_id, self.campaign_size))
        return Row(
            text=self.text,
            authors=authors,
            receipt_codes=self.codes,
            answers=list(self.answers.values()),
            comment_count=len(self.codes),
            campaign_id=self.campaign_id,
            campaign_size=self.campaign_size,
        )


def campaign_line(count, campaign_id, size):
    """How a campaign's row names it, first in the "who commented" column: the approved
    comments the row stands for, and the campaign's whole size when some were not."""
    if size and size != count:
        return f"{count} ý kiến (chiến dịch #{campaign_id}, tổng số {size} ý kiến)"
    return f"{count} ý kiến (chiến dịch #{campaign_id})"


def _campaigns(builders):
    """Give each campaign's row its representative's text and the campaign's size: one
    query for the whole report, whatever the number of campaigns and members."""
    rows = {key[1]: builder for key, builder in builders.items() if key[0] is CAMPAIGN}
    if not rows:
        return
    for pk, size, body in Campaign.objects.filter(pk__in=list(rows)).values_list(
        "pk", "size", "representative__body"
    ):
        rows[pk].campaign_size = size
        if body:
            rows[pk].text = body


def build_synthesis(scope, user=None):
    """The report's content for a consultation or a whole draft policy (all its rounds).

    Totals count every comment received; the table holds only approved comments,
    grouped by article in the draft's order (articles no longer in the draft next,
    then comments on the whole draft), identical texts merged into one row, and the
    approved members of a campaign of near-identical comments into one row (under the
    representative's text, in its first member's section, with ``campaign_line``).

    One query for the rows, whatever their number: the answer is joined, only the
    columns the report shows are read, in chunks; a campaign answered once shares
    one ``Answer``. Memory grows with the report itself (its distinct texts and the
    receipt codes), not with the comments' other columns.

    ``user``: staff who may view restricted content read a restricted article under its
    mark ("[Mật] Điều 5. …"); without, or ``None`` (the report attached to the public
    draft), it reads "[Restricted article]" (``blocks.ArticleLabels``).
    """
    draft, consultations = _scope(scope)
    in_scope = Q(consultation__in=[c.pk for c in consultations])
    labels = ArticleLabels.of_draft(draft, **ARTICLE_WORDINGS, for_user=user)  # None: public
    sections = {
        article_id: Section(article_id, label) for article_id, label in labels.current.items()
    }
    removed = {}
    general = Section("", GENERAL_SECTION)
    builders = {}
    answers = {}
    comments = (
        PublicComment.objects.filter(in_scope, PUBLISHED)
        .select_related("response")
        .only(*REPORT_FIELDS)
        .with_campaign(size=False)  # ``campaign_id``; sizes once, in ``_campaigns``
        .order_by("submitted_at", "pk")
    )
    for comment in comments.iterator(chunk_size=2000):
        if not comment.article_id:
            section = general
        elif comment.article_id in sections:
            section = sections[comment.article_id]
        else:
            section = removed.get(comment.article_id)
            if section is None:  # named from its first comment's snapshot
                section = removed[comment.article_id] = Section(
                    comment.article_id,
                    labels.label(comment.article_id, comment.article_heading),
                )
        # A campaign's members are one row, in the section of its first approved member.
        if comment.campaign_id is not None:
            key = (CAMPAIGN, comment.campaign_id)
        else:
            key = (section.article_id, comment.text_hash)
        if key not in builders:
            builders[key] = _RowBuilder(comment, answers)
            section.rows.append(key)
        builders[key].add(comment)
    _campaigns(builders)
    _implemented(draft, labels, answers.values())
    ordered = [*sections.values(), *removed.values(), general]
    for section in ordered:
        section.rows = [builders[key].build() for key in section.rows]
    periods = [
        Period(
            title=c.title,
            opens=format_date(c.opens_at),
            closes=format_date(c.closes_at - timedelta(microseconds=1)),
        )
        for c in consultations
    ]
    return Synthesis(
        title=TITLE,
        draft_title=draft.title,
        drafting_unit=draft.drafting_unit.name,
        periods=periods,
        totals=_totals(in_scope),
        sections=[section for section in ordered if section.rows],
        generated_at=timezone.now(),
        draft=draft,
        consultations=consultations,
    )


def _implemented(draft, labels, answers):
    """Name the article each answer points to: in the draft's live text, else in its
    latest saved version (the revision being prepared; read once, only if needed)."""
    pointing = [answer for answer in answers if answer.implemented_in_article]
    latest = None
    for answer in pointing:
        article_id = answer.implemented_in_article
        if article_id not in labels and latest is None:
            latest = ArticleLabels(draft.get_latest_revision_as_object().articles)
        current = labels if article_id in labels else latest
        answer.implemented_in = (
            current.label(article_id) if article_id in current else labels.label(article_id)
        )


def totals_lines(totals):
    by_type = "; ".join(f"{label}: {count}" for label, count in totals.by_commenter_type)
    return [
        f"1. Tổng số ý kiến góp ý nhận được: {totals.received}, trong đó:",
        f"- Số ý kiến được duyệt, tổng hợp tại Mục II: {totals.approved};",
        f"- Số ý kiến không được duyệt: {totals.rejected};",
        f"- Số ý kiến chưa xử lý: {totals.pending}.",
        f"2. Theo chủ thể góp ý: {by_type}.",
        f"3. Số ý kiến rác đã loại (không tính vào tổng số): {totals.spam}.",
    ]
