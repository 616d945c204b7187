"""The demo's 2024 plan at work: assignments per draft policy and communication logs.

The plan itself comes from the package (``policycomms_load_plan 2024``), and this year's
plan is started from it (``--as-year``). For each draft policy with a major social impact,
the demo gives its drafting unit items II.2.1, II.2.2 and II.3 of this year's plan, with statuses, due dates (in days from the day the demo is first
loaded: some overdue, some due soon, some done with their budget spent) and progress
notes. The communication logs make the compliance report show real numbers: two of the
three major-impact drafts have been communicated, the third (its consultation on the
draft text is still upcoming) not yet. All fictitious.
"""

from .organisation import INFORMATION_CENTRE, OFFICE

PLAN_YEAR = 2024

SCIENCE_TASKS = "quy-che-quan-ly-nhiem-vu-khcn-cap-tinh"
STARTUPS = "nghi-quyet-ho-tro-khoi-nghiep-doi-moi-sang-tao"
TECHNOLOGY = "nghi-quyet-ho-tro-doanh-nghiep-doi-moi-cong-nghe"

#: Per draft slug: the plan's items done for that draft by its drafting unit.
#: ``due_in_days`` / ``starts_in_days`` / ``completed_days_ago`` are relative to today;
#: ``progress`` is a list of (days ago, note).
DRAFT_ASSIGNMENTS = {
    SCIENCE_TASKS: [
        {
            "reference": "II.2.1",
            "status": "done",
            "starts_in_days": -85,
            "due_in_days": -76,
            "completed_days_ago": 79,
            "coordinating_units": [INFORMATION_CENTRE],
            "budget_estimated": 5_000_000,
            "budget_spent": 4_500_000,
            "progress": [
                (
                    80,
                    "Đã hoàn thành tài liệu hỏi – đáp về dự thảo Quy chế, gửi Trung tâm Thông "
                    "tin đăng tải.",
                ),
            ],
        },
        {
            "reference": "II.2.2",
            "status": "done",
            "starts_in_days": -78,
            "due_in_days": -40,
            "completed_days_ago": 42,
            "coordinating_units": [INFORMATION_CENTRE, OFFICE],
            "budget_estimated": 20_000_000,
            "budget_spent": 18_600_000,
            "progress": [
                (
                    70,
                    "Đăng chuyên mục trên Cổng thông tin điện tử và Bản tin khoa học và công "
                    "nghệ số 2.",
                ),
                (45, "Tổ chức hội thảo lấy ý kiến các viện, trường, doanh nghiệp (62 đại biểu)."),
            ],
        },
        {
            "reference": "II.3",
            "status": "in_progress",
            "starts_in_days": -75,
            "due_in_days": -5,
            "coordinating_units": [INFORMATION_CENTRE],
            "budget_estimated": 3_000_000,
            "progress": [
                (30, "Đã tổng hợp các ý kiến góp ý nhận được trong thời gian lấy ý kiến."),
                (8, "Đang dự thảo bản tổng hợp, tiếp thu, giải trình; chờ ý kiến Lãnh đạo Sở."),
            ],
        },
    ],
    TECHNOLOGY: [
        {
            "reference": "II.2.1",
            "status": "done",
            "starts_in_days": -30,
            "due_in_days": -12,
            "completed_days_ago": 13,
            "coordinating_units": [INFORMATION_CENTRE],
            "budget_estimated": 5_000_000,
            "budget_spent": 5_000_000,
            "progress": [(13, "Hoàn thành nội dung truyền thông, đã đăng kèm dự thảo.")],
        },
        {
            "reference": "II.2.2",
            "status": "in_progress",
            "starts_in_days": -10,
            "due_in_days": 5,
            "coordinating_units": [INFORMATION_CENTRE],
            "budget_estimated": 25_000_000,
            "budget_spent": 9_000_000,
            "progress": [
                (9, "Đăng bài trên Cổng thông tin điện tử và trang mạng xã hội của Sở."),
                (2, "Đã phối hợp Báo Hưng Yên; đang chuẩn bị tọa đàm với doanh nghiệp."),
            ],
        },
        {
            "reference": "II.3",
            "status": "not_started",
            "starts_in_days": 25,
            "due_in_days": 45,
            "coordinating_units": [INFORMATION_CENTRE],
            "budget_estimated": 3_000_000,
            "progress": [],
        },
    ],
    STARTUPS: [
        {
            "reference": "II.2.1",
            "status": "in_progress",
            "starts_in_days": -20,
            "due_in_days": -3,
            "coordinating_units": [INFORMATION_CENTRE],
            "budget_estimated": 5_000_000,
            "progress": [
                (
                    6,
                    "Đang hoàn thiện nội dung truyền thông cho dự thảo Nghị quyết, chậm do chờ "
                    "số liệu doanh nghiệp khởi nghiệp.",
                ),
            ],
        },
        {
            "reference": "II.2.2",
            "status": "not_started",
            "starts_in_days": 0,
            "due_in_days": 6,
            "coordinating_units": [INFORMATION_CENTRE],
            "budget_estimated": 30_000_000,
            "progress": [],
        },
        {
            "reference": "II.3",
            "status": "not_started",
            "starts_in_days": 7,
            "due_in_days": 50,
            "coordinating_units": [],
            "budget_estimated": 3_000_000,
            "progress": [],
        },
    ],
}

#: Per draft slug: rows of its communication log, found again by (channel, title).
COMMUNICATION_LOG = {
    SCIENCE_TASKS: [
        {
            "channel": "portal",
            "days_ago": 76,
            "title": "Lấy ý kiến dự thảo Quy chế quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh",
            "url": "https://sokhcn.hungyen.gov.vn/du-thao-chinh-sach/quy-che-nhiem-vu-khcn",
            "audience": 1850,
        },
        {
            "channel": "bulletin",
            "days_ago": 70,
            "title": "Bản tin Khoa học và Công nghệ số 2: Những điểm mới của dự thảo Quy chế",
            "url": "",
            "audience": 1200,
        },
        {
            "channel": "conference",
            "days_ago": 45,
            "title": "Hội thảo lấy ý kiến dự thảo Quy chế quản lý nhiệm vụ KH&CN cấp tỉnh",
            "url": "",
            "audience": 62,
        },
    ],
    TECHNOLOGY: [
        {
            "channel": "portal",
            "days_ago": 10,
            "title": "Lấy ý kiến dự thảo Nghị quyết hỗ trợ doanh nghiệp đổi mới công nghệ",
            "url": "https://sokhcn.hungyen.gov.vn/du-thao-chinh-sach/ho-tro-doi-moi-cong-nghe",
            "audience": 940,
        },
        {
            "channel": "social_network",
            "days_ago": 9,
            "title": "Giới thiệu dự thảo Nghị quyết trên trang Zalo OA của Sở",
            "url": "",
            "audience": 3200,
        },
        {
            "channel": "newspaper",
            "days_ago": 4,
            "title": "Báo Hưng Yên: Doanh nghiệp góp ý chính sách hỗ trợ đổi mới công nghệ",
            "url": "",
            "audience": None,
        },
    ],
}
