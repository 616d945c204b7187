"""The report to the Department of Justice (Sở Tư pháp) as a Word document (DOCX).

The periodic report is an official document the department signs and sends, so it is
written in Vietnamese whatever the admin's language, in the layout of Decree
30/2020/NĐ-CP (``formats.word``): the header with the issuing agency and the national
motto, "BÁO CÁO" and its subject naming the period, the figures as sentences (part I)
and as tables (part II, the same lines as the CSV and XLSX files, from ``lines``), a part
for the difficulties and proposals the coordinator writes in, then "Nơi nhận:" and the
signature block. Who issues it is the site's ``DepartmentSettings``.

Named ``word`` rather than ``docx`` so the module is never mistaken for python-docx.
"""

from decimal import Decimal

from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt

from ..formats import format_count, format_date
from ..formats.word import (
    TEXT_WIDTH,
    cell_lines,
    fixed_table,
    new_document,
    official_header,
    paragraph,
    repeat_as_header,
    rule,
    signature_block,
)
from .lines import sections

TITLE = "BÁO CÁO"
SUBJECT = (
    "Kết quả thực hiện công tác truyền thông dự thảo chính sách trong quá trình xây dựng "
    "văn bản quy phạm pháp luật từ ngày {start} đến ngày {end}"
)
ADDRESSEE = "Kính gửi: Sở Tư pháp."
RECIPIENTS = ("- Như trên;", "- Lưu: VT.")
TABLE_HEADINGS = ("Nội dung", "Số liệu")
TABLE_WIDTHS = (Cm(10.5), Cm(6.0))
#: Lines of dots the coordinator types over (difficulties, proposals).
LINES_TO_WRITE = 2
CLOSING = (
    "Trên đây là báo cáo kết quả thực hiện công tác truyền thông dự thảo chính sách "
    "của Sở, kính gửi Sở Tư pháp tổng hợp, theo dõi./."
)
BODY_SIZE = 14
TABLE_SIZE = 13


def value_text(value):
    """A figure as the document writes it: 7.500.000, "—" for none (no percentage)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format_count(value)
    return str(value)


def _counts(pairs):
    """ "Cá nhân: 3; Tổ chức: 2" of the (label, count) pairs whose count is not 0."""
    return "; ".join(f"{label}: {format_count(count)}" for label, count in pairs if count)


def plan_reference(plan):
    text = plan.title
    if plan.number:
        text += f" số {plan.number}"
    if plan.issued_on:
        text += f" ngày {format_date(plan.issued_on)}"
    return text


def introduction(report, start, end):
    """ "Thực hiện <the plans>, Sở báo cáo …": the sentence before part I."""
    text = (
        f"Sở báo cáo kết quả thực hiện công tác truyền thông dự thảo chính sách từ ngày "
        f"{start} đến ngày {end} như sau:"
    )
    if not report.plans:
        return text
    plans = "; ".join(plan_reference(plan) for plan in report.plans)
    return f"Thực hiện {plans}, {text}"


def result_paragraphs(report):
    """Part I: (heading, sentence) for each group of figures. Call in Vietnamese."""
    n = format_count
    channels = _counts((str(label), count) for _value, label, count in report.channels)
    if report.activities_total:
        activities = (
            f"Trong kỳ báo cáo, Sở đã thực hiện {n(report.activities_total)} hoạt động "
            f"truyền thông dự thảo chính sách, trong đó: {channels}."
        )
    else:
        activities = (
            "Trong kỳ báo cáo, Sở chưa thực hiện hoạt động truyền thông dự thảo chính sách."
        )

    drafts = f"Trong kỳ báo cáo, Sở đã xử lý {n(report.drafts_handled)} dự thảo chính sách"
    if report.in_scope:
        met = "đạt" if report.communicated_percent >= report.target else "chưa đạt"
        drafts += (
            f", trong đó có {n(report.in_scope)} dự thảo chính sách có tác động lớn đến xã hội. "
            f"Sở đã tổ chức truyền thông {n(report.communicated)}/{n(report.in_scope)} dự thảo "
            f"chính sách ({report.communicated_percent}%), {met} chỉ tiêu {report.target}%."
        )
    else:
        drafts += "; không có dự thảo chính sách có tác động lớn đến xã hội phải truyền thông."

    by_type = _counts((str(label), count) for _value, label, count in report.comments_by_type)
    total = report.comments_total
    if total:
        comments = (
            f"Sở đã tiếp nhận {n(total)} ý kiến góp ý ({by_type}), trong đó "
            f"{n(report.comments_published)} ý kiến đã được công khai."
        )
        answered = total - report.not_answered
        answers = (
            f"Sở đã trả lời {n(answered)}/{n(total)} ý kiến góp ý: tiếp thu hoặc tiếp thu một "
            f"phần {n(report.accepted)} ý kiến; giữ nguyên như dự thảo và giải trình "
            f"{n(report.explained)} ý kiến; không tiếp thu hoặc không thuộc phạm vi dự thảo "
            f"{n(report.not_applicable)} ý kiến; còn {n(report.not_answered)} ý kiến chưa trả lời."
        )
    else:
        comments = "Trong kỳ báo cáo, Sở không nhận được ý kiến góp ý."
        answers = "Không có ý kiến góp ý phải tiếp thu, giải trình."

    budget = (
        "Kinh phí đã sử dụng cho các nhiệm vụ đến hạn hoặc hoàn thành trong kỳ: "
        f"{value_text(report.budget_spent)} đồng."
    )
    return [
        ("1. Hoạt động truyền thông", activities),
        ("2. Truyền thông dự thảo chính sách", drafts),
        ("3. Tiếp nhận ý kiến góp ý", comments),
        ("4. Tiếp thu, giải trình ý kiến góp ý", answers),
        ("5. Kinh phí", budget),
    ]


def _body(document, text, **kwargs):
    return paragraph(
        document,
        text,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Cm(1),
        space_after=6,
        **kwargs,
    )


def _part(document, text):
    return paragraph(document, text, bold=True, space_before=6, space_after=6)


def _dotted_line(document):
    """A line of dots across the text: a tab to the right edge with a dotted leader, so it
    is one line whatever the font."""
    made = paragraph(document, space_after=6)
    made.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    made.add_run("\t")
    return made


def _figures_table(document, section):
    table = fixed_table(document, 1, TABLE_WIDTHS, style="Table Grid")
    heading = table.rows[0]
    repeat_as_header(heading)
    for cell, text in zip(heading.cells, TABLE_HEADINGS, strict=True):
        cell_lines(cell, [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=TABLE_SIZE)
    for item, value in section.lines:
        row = table.add_row()
        item_cell, value_cell = row.cells
        for cell, width in zip(row.cells, TABLE_WIDTHS, strict=True):
            cell.width = width
        cell_lines(item_cell, [str(item)], size=TABLE_SIZE)
        cell_lines(value_cell, [value_text(value)], align=WD_ALIGN_PARAGRAPH.RIGHT, size=TABLE_SIZE)
    return table


def render_docx(report, department, fileobj, *, issued_on):
    """Write ``report`` (a ``data.PeriodicReport``) as the signed report: A4, Times New
    Roman 14, issued by ``department`` (``DepartmentSettings``) on ``issued_on``."""
    with translation.override("vi"):
        _render(report, department, fileobj, issued_on)


def _render(report, department, fileobj, issued_on):
    document = new_document(size=BODY_SIZE)
    official_header(document, department, issued_on, document_type="BC")
    start, end = format_date(report.period.start), format_date(report.period.end)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, TITLE, bold=True, align=centre, size=BODY_SIZE, space_before=18)
    paragraph(document, SUBJECT.format(start=start, end=end), bold=True, align=centre)
    rule(document, Cm(3), TEXT_WIDTH)
    paragraph(document, ADDRESSEE, align=centre, space_before=12, space_after=12)
    _body(document, introduction(report, start, end))

    _part(document, "I. KẾT QUẢ THỰC HIỆN")
    for heading, text in result_paragraphs(report):
        paragraph(document, heading, bold=True, space_after=3, first_line_indent=Cm(1))
        _body(document, text)

    _part(document, "II. SỐ LIỆU TỔNG HỢP")
    for number, section in enumerate(sections(report), start=1):
        paragraph(
            document, f"{number}. {section.title}", bold=True, space_before=6, space_after=3
        ).paragraph_format.keep_with_next = True
        _figures_table(document, section)

    _part(document, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ")
    for heading in ("1. Khó khăn, vướng mắc", "2. Đề xuất, kiến nghị"):
        paragraph(document, heading, bold=True, space_after=3, first_line_indent=Cm(1))
        for _line in range(LINES_TO_WRITE):
            _dotted_line(document)
    _body(document, CLOSING, space_before=6)

    title_lines = [
        line.strip()
        for line in (department.signer_title or "").replace(" / ", "\n").splitlines()
        if line.strip()
    ]
    signature_block(
        document, title_lines, department.signer_name or "", recipients=RECIPIENTS
    ).rows[0].cells[1].paragraphs[0].paragraph_format.space_before = Pt(12)
    document.save(fileobj)
