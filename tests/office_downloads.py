"""Every XLSX and DOCX file the admin hands out, downloaded through the real admin views
(Django test client): shared by ``test_xlsx_files`` (the layout, read with openpyxl) and
``test_office_files`` (the files opened and printed by LibreOffice).

``make_world()`` stores one of everything a file shows: a consultation of May 2024 with
a long comment and its answer, a plan of 2024 with dated assignments. ``downloads(client)``
returns one ``Download`` per file, each with the texts its printout must show.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.urls import reverse

from tests import factories
from wagtail_policycomms.models import PublicComment

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment:list"
ASSIGNMENTS = "wagtailsnippets_wagtail_policycomms_assignment:list"
SYNTHESIS = "wagtail_policycomms_admin:synthesis_download"
#: Each report's URL name and filter.
REPORTS = {
    "compliance": ("wagtail_policycomms_admin:report_compliance", {"year": "2024"}),
    "justice": (
        "wagtail_policycomms_admin:report_justice",
        {"date_from": "01/01/2024", "date_to": "31/12/2024"},
    ),
    "assignments_by_unit": ("wagtail_policycomms_admin:report_assignments", {}),
}

#: A comment long enough to need several lines in its column.
COMMENT_START = "Đề nghị giảm phí"
COMMENT_TEXT = (
    f"{COMMENT_START} thẩm định cho hộ kinh doanh cá thể và doanh nghiệp nhỏ và vừa, "
    "vì mức thu hiện nay cao hơn nhiều so với chi phí thực tế của thủ tục; đồng thời "
    "đề nghị quy định rõ thời hạn nộp phí, cách thức nộp qua dịch vụ công trực tuyến và "
    "trường hợp được hoàn trả phí khi hồ sơ bị từ chối."
)
ANSWER_TEXT = "Tiếp thu, đã sửa Điều 2 của dự thảo theo hướng giảm 50% mức thu cho hộ kinh doanh."
#: 08:05 on 20 May 2024 in Hanoi.
SUBMITTED_AT = datetime(2024, 5, 20, 1, 5, tzinfo=UTC)
SUBMITTED_LOCAL = datetime(2024, 5, 20, 8, 5)
ASSIGNMENT_TITLE = "Phổ biến quy định"
STARTS_ON, DUE_ON = date(2024, 3, 1), date(2024, 6, 30)
DRAFT_TITLE = "Dự thảo Nghị quyết quy định mức thu phí thẩm định"


@dataclass
class Download:
    name: str
    extension: str
    content: bytes
    #: Texts the file's printout must show (whitespace-insensitive).
    shows: list = field(default_factory=list)

    @property
    def filename(self):
        return f"{self.name}.{self.extension}"


def make_world(index):
    """One of everything the files show."""
    unit = factories.make_unit("Phòng Quản lý Công nghệ và Đổi mới sáng tạo")
    draft = factories.make_draft(
        index,
        title=DRAFT_TITLE,
        drafting_unit=unit,
        major_social_impact=True,
        articles=[factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1")],
    )
    consultation = factories.make_consultation(
        draft,
        datetime(2024, 4, 30, 17, tzinfo=UTC),  # 00:00 on 1 May 2024 in Hanoi
        datetime(2024, 5, 31, 17, tzinfo=UTC),
        title="Lấy ý kiến lần 1",
    )
    comment = factories.make_comment(
        consultation,
        body=COMMENT_TEXT,
        submitted_at=SUBMITTED_AT,
        article_id="a1",
        article_heading="Điều 1. Phạm vi điều chỉnh",
    )
    factories.make_comment(consultation, body="Nhất trí với dự thảo.", submitted_at=SUBMITTED_AT)
    factories.answer_comments(
        PublicComment.objects.filter(pk=comment.pk), text=ANSWER_TEXT, unit=unit, published=True
    )
    plan = factories.make_plan(2024, number="35/KH-SKHCN")
    factories.make_assignment(
        plan,
        reference="II.1",
        title=ASSIGNMENT_TITLE,
        category="disseminate",
        lead_unit=unit,
        starts_on=STARTS_ON,
        due_on=DUE_ON,
        status="in_progress",
    )
    factories.make_assignment(
        plan,
        reference="II.2",
        title="Truyền thông dự thảo",
        category="content",
        lead_unit_text="Phòng chủ trì soạn thảo",
        time_frame="Khi có dự thảo",
    )
    return {"draft": draft, "consultation": consultation, "unit": unit}


def _content(response):
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _is(response, content_type):
    return response.status_code == 200 and response["Content-Type"].startswith(content_type)


def xlsx_downloads(client, world, names=None):
    """Every XLSX file (or those of ``names``): the comment export, the synthesis, each
    report, the assignments."""
    consultation = world["consultation"]
    synthesis = reverse(SYNTHESIS, args=["consultation", consultation.pk, "xlsx"])
    made = {
        "comments": lambda: Download(
            "comments",
            "xlsx",
            _content(client.get(reverse(QUEUE), {"export": "xlsx", "status": ""})),
            [COMMENT_START, "20/05/2024 08:05"],
        ),
        "synthesis": lambda: Download(
            "synthesis", "xlsx", _content(client.get(synthesis)), [COMMENT_START, "01/05/2024"]
        ),
        "assignments": lambda: Download(
            "assignments",
            "xlsx",
            _content(client.get(reverse(ASSIGNMENTS), {"export": "xlsx"})),
            [ASSIGNMENT_TITLE, "30/06/2024", "01/03/2024"],
        ),
    }
    report_shows = {
        "compliance": [DRAFT_TITLE],
        "justice": ["01/01/2024", "31/12/2024"],
        "assignments_by_unit": [world["unit"].name],
    }

    def report(name):
        url_name, params = REPORTS[name]
        response = client.get(reverse(url_name), {**params, "export": "xlsx"})
        assert _is(response, XLSX_CONTENT_TYPE), name
        return Download(f"report-{name}", "xlsx", _content(response), report_shows[name])

    for name in REPORTS:
        made[f"report-{name}"] = lambda name=name: report(name)
    return [make() for name, make in made.items() if names is None or name in names]


def docx_downloads(client, world):
    """Every DOCX file: the synthesis, and each report that offers one (``?export=docx``)."""
    consultation = world["consultation"]
    files = [
        Download(
            "synthesis",
            "docx",
            _content(
                client.get(reverse(SYNTHESIS, args=["consultation", consultation.pk, "docx"]))
            ),
            [COMMENT_START, "01/05/2024"],
        )
    ]
    for name, (url_name, params) in REPORTS.items():
        response = client.get(reverse(url_name), {**params, "export": "docx"})
        if _is(response, DOCX_CONTENT_TYPE):
            shows = ["01/01/2024"] if name == "justice" else []
            files.append(Download(f"report-{name}", "docx", _content(response), shows))
    return files
