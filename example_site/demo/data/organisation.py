"""The department, its units, fields, demo users and the portal's section pages.

Units named in the 2024 plan ("Kế hoạch thực hiện Đề án ... năm 2024 tại Sở Khoa học
và Công nghệ") are used with the plan's exact names; the professional divisions
(các phòng chuyên môn) it refers to are given plausible names. Every address, email
and phone number here is fictitious.
"""

from wagtail_policycomms.permissions import COORDINATORS, DRAFTING_EDITORS, MODERATORS

DEMO_PASSWORD = "demo-policycomms-2026"

DEPARTMENT = "Sở Khoa học và Công nghệ tỉnh Hưng Yên"
HEAD_OFFICE = "Số 8 đường Chùa Chuông, phường Phố Hiến, tỉnh Hưng Yên"

# Unit names: the keys the rest of the demo data refers to.
INSPECTORATE = "Thanh tra Sở"
OFFICE = "Văn phòng Sở"
INFORMATION_CENTRE = "Trung tâm Thông tin, Thống kê, Ứng dụng khoa học và công nghệ"
TECHNOLOGY_DIVISION = "Phòng Quản lý Công nghệ và Đổi mới sáng tạo"
PLANNING_DIVISION = "Phòng Kế hoạch - Tài chính"
SCIENCE_DIVISION = "Phòng Quản lý Khoa học"
SPECIALISED_DIVISION = "Phòng Quản lý chuyên ngành"

UNITS = [
    {
        "name": INSPECTORATE,
        "short_name": "Thanh tra",
        "email": "thanhtra@sokhcn.hungyen.gov.vn",
        "phone": "0221 3862 105",
        "address": f"Phòng 305, trụ sở Sở, {HEAD_OFFICE}",
    },
    {
        "name": OFFICE,
        "short_name": "VP",
        "email": "vanphong@sokhcn.hungyen.gov.vn",
        "phone": "0221 3862 101",
        "address": f"Phòng 101, trụ sở Sở, {HEAD_OFFICE}",
    },
    {
        "name": INFORMATION_CENTRE,
        "short_name": "TT TT-TK-UD KH&CN",
        "email": "trungtamthongtin@sokhcn.hungyen.gov.vn",
        "phone": "0221 3865 210",
        "address": "Số 437 đường Nguyễn Văn Linh, phường Phố Hiến, tỉnh Hưng Yên",
    },
    {
        "name": TECHNOLOGY_DIVISION,
        "short_name": "CN&ĐMST",
        "email": "cndmst@sokhcn.hungyen.gov.vn",
        "phone": "0221 3862 203",
        "address": f"Phòng 203, trụ sở Sở, {HEAD_OFFICE}",
    },
    {
        "name": PLANNING_DIVISION,
        "short_name": "KH-TC",
        "email": "khtc@sokhcn.hungyen.gov.vn",
        "phone": "0221 3862 104",
        "address": f"Phòng 104, trụ sở Sở, {HEAD_OFFICE}",
    },
    {
        "name": SCIENCE_DIVISION,
        "short_name": "QLKH",
        "email": "qlkh@sokhcn.hungyen.gov.vn",
        "phone": "0221 3862 201",
        "address": f"Phòng 201, trụ sở Sở, {HEAD_OFFICE}",
    },
    {
        "name": SPECIALISED_DIVISION,
        "short_name": "QLCN",
        "email": "qlcn@sokhcn.hungyen.gov.vn",
        "phone": "0221 3862 302",
        "address": f"Phòng 302, trụ sở Sở, {HEAD_OFFICE}",
    },
]

# Fields of State management (lĩnh vực).
SECTOR_SCIENCE = "Khoa học và công nghệ"
SECTOR_INNOVATION = "Đổi mới sáng tạo"
SECTOR_QUALITY = "Tiêu chuẩn đo lường chất lượng"
SECTOR_INTELLECTUAL_PROPERTY = "Sở hữu trí tuệ"
SECTOR_DIGITAL = "Chuyển đổi số"

SECTORS = [
    SECTOR_SCIENCE,
    SECTOR_INNOVATION,
    SECTOR_QUALITY,
    SECTOR_INTELLECTUAL_PROPERTY,
    SECTOR_DIGITAL,
]

# One user per role. Names are stored so that Django's "first_name last_name"
# reads in Vietnamese order: family and middle names first, given name last.
USERS = [
    {
        "username": "admin",
        "first_name": "Phạm Quang",
        "last_name": "Huy",
        "email": "admin@sokhcn.hungyen.gov.vn",
        "superuser": True,
        "groups": [],
        "unit": None,
        "role": "Quản trị hệ thống (superuser)",
    },
    {
        "username": "bientap",
        "first_name": "Nguyễn Thị Thu",
        "last_name": "Hà",
        "email": "bientap@sokhcn.hungyen.gov.vn",
        "superuser": False,
        "groups": [DRAFTING_EDITORS],
        "unit": TECHNOLOGY_DIVISION,
        "role": "Biên tập – chuyên viên Phòng CN&ĐMST, đơn vị soạn thảo",
    },
    {
        "username": "kiemduyet",
        "first_name": "Trần Minh",
        "last_name": "Đức",
        "email": "kiemduyet@sokhcn.hungyen.gov.vn",
        "superuser": False,
        "groups": [MODERATORS],
        "unit": INFORMATION_CENTRE,
        "role": "Kiểm duyệt – Trung tâm Thông tin",
    },
    {
        "username": "dieuphoi",
        "first_name": "Lê Văn",
        "last_name": "Hùng",
        "email": "dieuphoi@sokhcn.hungyen.gov.vn",
        "superuser": False,
        "groups": [COORDINATORS],
        "unit": INSPECTORATE,
        "role": "Điều phối – Thanh tra Sở",
    },
]

HOME_PAGE = {
    "slug": "home",
    "title": DEPARTMENT,
    "intro": (
        "<p>Cổng thông tin điện tử của Sở Khoa học và Công nghệ tỉnh Hưng Yên "
        "(<i>bản trình diễn</i>). Người dân, tổ chức, doanh nghiệp xem các dự thảo chính sách "
        "đang được xây dựng và gửi ý kiến góp ý theo Đề án ban hành kèm theo Quyết định số "
        "407/QĐ-TTg ngày 30/3/2022 của Thủ tướng Chính phủ.</p>"
    ),
}

INDEX_PAGE = {
    "slug": "du-thao-chinh-sach",
    "title": "Dự thảo chính sách – Lấy ý kiến",
    "intro": (
        "<p>Chuyên mục đăng tải các dự thảo chính sách, dự thảo văn bản quy phạm pháp luật do "
        "Sở Khoa học và Công nghệ chủ trì soạn thảo, trình Hội đồng nhân dân và Ủy ban nhân dân "
        "tỉnh ban hành, để lấy ý kiến của cơ quan, tổ chức, người dân và doanh nghiệp.</p>"
        "<p>Mỗi dự thảo gồm: sự cần thiết ban hành chính sách; mục đích, quan điểm; phạm vi điều "
        "chỉnh, đối tượng áp dụng; nội dung cơ bản; những điểm mới so với quy định hiện hành và "
        "các vấn đề còn nhiều ý kiến khác nhau, kèm toàn văn dự thảo. Ý kiến góp ý được gửi trong "
        "thời gian lấy ý kiến tới đơn vị tiếp nhận ghi trên từng đợt lấy ý kiến.</p>"
        "<p><i>Nội dung trong chuyên mục này là dữ liệu minh họa, không phải văn bản thật.</i></p>"
    ),
}


def how_to_comment(subject, meeting=None):
    """The "how to comment" text of a consultation round; the receiving unit is shown below it."""
    items = [
        "Gửi thư điện tử tới địa chỉ email của đơn vị tiếp nhận, tiêu đề thư ghi "
        f"“Góp ý {subject}”;",
        "Gửi văn bản qua đường bưu chính hoặc gửi trực tiếp tới địa chỉ của đơn vị tiếp nhận;",
    ]
    if meeting:
        items.append(meeting)
    bullets = "".join(f"<li>{item}</li>" for item in items)
    return (
        "<p>Cơ quan, tổ chức, cá nhân gửi ý kiến góp ý bằng một trong các cách sau:</p>"
        f"<ul>{bullets}</ul>"
        "<p>Khi góp ý vào một điều, khoản cụ thể, đề nghị ghi rõ số điều, khoản của dự thảo. "
        "Ý kiến của tổ chức, doanh nghiệp đề nghị ghi rõ tên, địa chỉ và người liên hệ.</p>"
    )
