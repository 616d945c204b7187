"""The report to the Department of Justice as a Word document, and the official header it
shares with the synthesis report (issue 12, item 5).

Downloaded at the real admin URL as the coordinator (Thanh tra Sở, the group
``policycomms_setup_groups`` makes) and read back with python-docx; the figures are
compared with the XLSX of the same period, the header and signature with the site's
``DepartmentSettings`` (changed here, to prove they are read).
"""

import io
import re

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from freezegun import freeze_time
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, Site

from tests import factories
from tests.test_reports import JUSTICE, JUSTICE_LINES, PERIOD, build_world, units  # noqa: F401
from wagtail_policycomms import synthesis
from wagtail_policycomms.formats import format_count
from wagtail_policycomms.models import DepartmentSettings
from wagtail_policycomms.permissions import COORDINATORS, setup_groups


@pytest.fixture
def world(index, units):  # noqa: F811
    """The reports' hand-worked fixture (``tests/test_reports.build_world``), for this test."""
    return build_world(index, units)


MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


@pytest.fixture
def department(home):
    """The issuing agency of the default site, changed from the defaults."""
    settings = DepartmentSettings.for_site(Site.objects.get(is_default_site=True))
    settings.parent_agency = "UBND tỉnh Hưng Yên"  # written in capitals whatever is typed
    settings.agency_name = "Sở Khoa học và Công nghệ tỉnh mới"
    settings.agency_abbreviation = "KHCNM"
    settings.place = "Phố Hiến"
    settings.signer_title = "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    settings.signer_name = "Trần Văn Ký"
    settings.save()
    return settings


@pytest.fixture
def coordinator(db):
    from django.contrib.auth.models import Group

    setup_groups()
    user = factories.make_staff("thanhtra", language="vi")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def download(client, params):
    response = client.get(reverse(JUSTICE), {**PERIOD, **params})
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def lines_of(cell):
    return [line for line in cell.text.split("\n") if line]


def figure(text):
    """A figure as the document writes it (7.500.000, "—") back as the XLSX holds it."""
    if text == "—":
        return None
    return int(text.replace(".", "")) if re.fullmatch(r"[\d.]+", text) else text


@freeze_time("2024-11-05T03:00:00Z")  # 5 November 2024 in Hanoi
def test_the_word_report(coordinator, world, department):  # noqa: F811
    response, content = download(coordinator, {"export": "docx"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert 'filename="bao-cao-so-tu-phap-20240301-20241031.docx"' in disposition
    document = docx.Document(io.BytesIO(content))

    # The page and the font.
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.page_width < section.page_height
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm) for margin in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))

    # The header: the site's settings, the motto, the number, the place and date.
    header, *tables, signature = document.tables
    (left, right), (number, when) = (row.cells for row in header.rows)
    assert lines_of(left) == ["UBND TỈNH HƯNG YÊN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH MỚI"]
    assert left.paragraphs[1].runs[0].bold and not left.paragraphs[0].runs[0].bold
    assert lines_of(right) == MOTTO
    assert number.text == "Số: …/BC-KHCNM"
    assert when.text == "Phố Hiến, ngày 05 tháng 11 năm 2024"
    assert when.paragraphs[0].runs[0].italic
    for cell in (left, right):  # the rule under the agency and under the motto
        assert cell.paragraphs[-1]._p.xpath("./w:pPr/w:pBdr/w:bottom")

    # The title and the period.
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    subject = next(p for p in paragraphs if p.startswith("Kết quả thực hiện công tác truyền"))
    assert "từ ngày 01/03/2024 đến ngày 31/10/2024" in subject

    # The figures as sentences (2 of the 3 policies in scope communicated, 66%).
    text = "\n".join(paragraphs)
    assert "Sở đã tổ chức truyền thông 2/3 dự thảo chính sách (66%), chưa đạt chỉ tiêu 100%." in (
        text
    )
    assert "Sở đã thực hiện 6 hoạt động truyền thông dự thảo chính sách" in text
    assert "Sở đã tiếp nhận 8 ý kiến góp ý (" in text
    assert "trong đó 6 ý kiến đã được công khai." in text
    assert "Sở đã trả lời 6/8 ý kiến góp ý: tiếp thu hoặc tiếp thu một phần 3 ý kiến" in text
    assert "còn 2 ý kiến chưa trả lời." in text
    with translation.override("vi"):  # 7.500.000 once Vietnamese groups thousands
        budget = format_count(7_500_000)
    assert f"hoàn thành trong kỳ: {budget} đồng." in text
    assert (
        "Thực hiện Kế hoạch truyền thông chính sách 2024 số 35/KH-SKHCN ngày 20/03/2024, Sở báo "
        "cáo kết quả thực hiện công tác truyền thông dự thảo chính sách từ ngày 01/03/2024 đến "
        "ngày 31/10/2024 như sau:"
    ) in paragraphs

    # The figures as tables: the same lines, in the same order, as the XLSX of the period.
    workbook = openpyxl.load_workbook(io.BytesIO(download(coordinator, {"export": "xlsx"})[1]))
    _heading, *xlsx = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    in_word = [
        [title, row.cells[0].text, figure(row.cells[1].text)]
        for title, table in titled_tables(document)
        for row in table.rows[1:]
    ]
    assert in_word == xlsx
    assert [value for _s, _i, value in in_word] == [value for _s, _i, value in JUSTICE_LINES]
    assert [table._tbl for _title, table in titled_tables(document)] == [t._tbl for t in tables]
    assert [cell.text for cell in tables[0].rows[0].cells] == ["Nội dung", "Số liệu"]

    # The closing block: recipients on the left, the signer from the settings on the right.
    recipients, signer = signature.rows[0].cells
    assert lines_of(recipients)[0] == "Nơi nhận:"
    assert lines_of(signer) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Ký"]


def titled_tables(document):
    """(title, table) for each table of figures: the numbered heading just before it
    ("1. Kỳ báo cáo" gives "Kỳ báo cáo")."""
    found, title = [], None
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            match = re.fullmatch(r"\d+\. (.+)", block.text)
            title = match[1] if match else None
        elif title is not None:
            found.append((title, block))
            title = None
    return found


def test_every_file_writes_one_audit_entry(coordinator, department):
    entries = ModelLogEntry.objects.filter(action="wagtail_policycomms.export")
    before = entries.count()
    download(coordinator, {"export": "docx"})
    assert entries.count() == before + 1
    entry = entries.latest("timestamp")
    assert entry.user_id == coordinator.user.pk
    assert entry.data["format"] == "docx"
    assert entry.data["report"] == "bao-cao-so-tu-phap"
    assert entry.data["filters"] == {"date_from": "2024-03-01", "date_to": "2024-10-31"}
    # The history reads as a report downloaded, not "0 comments exported".
    with translation.override("en"):
        message = log_registry.get_formatter(entry).format_message(entry)
    assert message.startswith("Report “") and message.endswith("” downloaded as DOCX")
    assert "comment" not in message
    for export in ("csv", "xlsx"):
        download(coordinator, {"export": export})
    assert list(entries.order_by("-timestamp", "-pk").values_list("data__format", flat=True))[
        :3
    ] == ["xlsx", "csv", "docx"]


def test_the_button_is_beside_the_other_downloads(coordinator, home):
    response = coordinator.get(reverse(JUSTICE), PERIOD)
    html = response.content.decode()
    docx_url = (
        f"{reverse(JUSTICE)}?date_from=01%2F03%2F2024&amp;date_to=31%2F10%2F2024&amp;export=docx"
    )
    assert docx_url in html
    assert "export=xlsx" in html and "export=csv" in html


def test_refused_without_the_report_permission(department):
    exporter = factories.make_staff(None, ["wagtail_policycomms.export_publiccomment"])
    client = Client()
    client.force_login(exporter)
    before = ModelLogEntry.objects.count()
    response = client.get(reverse(JUSTICE), {**PERIOD, "export": "docx"})
    assert response.status_code == 403
    assert ModelLogEntry.objects.count() == before


def test_a_period_it_cannot_read_is_refused(coordinator, home):
    response = coordinator.get(
        reverse(JUSTICE), {"date_from": "31/10/2024", "date_to": "01/03/2024", "export": "docx"}
    )
    assert response.status_code == 400


def test_a_stored_control_character_does_not_break_the_file(coordinator, home):
    settings = DepartmentSettings.for_site(Site.objects.get(is_default_site=True))
    settings.agency_name = "Sở\x0bKhoa học"  # a paste from Word: not XML
    settings.save()
    response, content = download(coordinator, {"export": "docx"})
    header = docx.Document(io.BytesIO(content)).tables[0]
    assert "SỞKHOA HỌC" in header.rows[0].cells[0].text


# --- The synthesis report's header --------------------------------------------------------


def test_the_synthesis_header_names_the_agency_and_the_place(draft, department):
    consultation = factories.make_round_with_status(draft, "closed")
    factories.make_comment(consultation, status="approved")
    exporter = factories.make_staff(None, ["wagtail_policycomms.export_publiccomment"])
    client = Client()
    client.force_login(exporter)
    url = reverse("wagtail_policycomms_admin:synthesis_download", args=["draft", draft.pk, "docx"])
    with freeze_time("2026-02-03T03:00:00Z"):
        response = client.get(url)
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    header = document.tables[0]
    (left, right), (number, when) = (row.cells for row in header.rows)
    assert lines_of(left) == ["UBND TỈNH HƯNG YÊN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH MỚI"]
    assert lines_of(right) == list(synthesis.MOTTO)
    assert when.text == "Phố Hiến, ngày 03 tháng 02 năm 2026"
    assert number.text == ""  # the synthesis is an annex: no number of its own
    paragraphs = [p.text for p in document.paragraphs]
    assert f"(Đơn vị chủ trì soạn thảo: {draft.drafting_unit.name})" in paragraphs
