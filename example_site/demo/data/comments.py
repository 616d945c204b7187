"""Demo comments from citizens, organisations and businesses (fictitious).

Each names its draft and round by slug and, optionally, the article by its number
("Điều 5"); ``days_ago`` is relative to the round's opening so the dates stay
inside the period. The same text from several emails shows a "campaign".
"""

TECHNOLOGY = ("nghi-quyet-ho-tro-doanh-nghiep-doi-moi-cong-nghe", "lay-y-kien-du-thao")
SCIENCE = ("quy-che-quan-ly-nhiem-vu-khcn-cap-tinh", "lay-y-kien-du-thao")
#: The first of two rounds; the second is on the revised text ("What changed and why").
STARTUPS_FIRST = ("nghi-quyet-ho-tro-khoi-nghiep-doi-moi-sang-tao", "lay-y-kien-de-nghi-xay-dung")

CAMPAIGN_TEXT = (
    "Đề nghị nâng mức hỗ trợ tối đa cho doanh nghiệp nhỏ và vừa lên 70% chi phí "
    "chuyển giao công nghệ, vì mức 50% chưa đủ để doanh nghiệp mạnh dạn đầu tư."
)

COMMENTS = [
    # The startups draft's first round: its articles are numbered as in the text put to it.
    {
        "round": STARTUPS_FIRST,
        "article": "Điều 6",
        "days_after_opening": 2,
        "commenter_type": "individual",
        "display_name": "Phạm Quang Huy",
        "email": "huy.pham@example.vn",
        "publish_name": True,
        "status": "approved",
        "body": (
            "Yêu cầu duy trì hoạt động trên địa bàn tỉnh 03 năm là quá dài với dự án khởi "
            "nghiệp, nhiều dự án cần mở rộng ra thị trường khác. Đề nghị giảm xuống 02 năm."
        ),
    },
    {
        "round": STARTUPS_FIRST,
        "article": "Điều 4",
        "days_after_opening": 3,
        "commenter_type": "business",
        "display_name": "",
        "organisation_name": "Công ty CP Công nghệ Nông nghiệp Xanh Hưng Yên",
        "email": "lienhe@nongnghiepxanh.example.vn",
        "publish_name": False,
        "status": "approved",
        "body": (
            "Mức hỗ trợ tối đa 200 triệu đồng cho một dự án chưa đủ để hoàn thiện sản phẩm "
            "mẫu công nghệ. Đề nghị nâng lên 300 triệu đồng và hỗ trợ cả đăng ký bảo hộ ở "
            "nước ngoài."
        ),
    },
    {
        "round": STARTUPS_FIRST,
        "article": "Điều 5",
        "days_after_opening": 5,
        "commenter_type": "organisation",
        "display_name": "",
        "organisation_name": "Tỉnh đoàn Hưng Yên",
        "email": "vanphong@tinhdoan-hungyen.example.vn",
        "publish_name": False,
        "status": "approved",
        "body": (
            "Thay vì hỗ trợ thuê gian hàng tại sự kiện, đề nghị hỗ trợ đào tạo, huấn luyện "
            "kỹ năng khởi nghiệp qua các cơ sở ươm tạo, hiệu quả lâu dài hơn."
        ),
    },
    {
        "round": STARTUPS_FIRST,
        "article": "Điều 3",
        "days_after_opening": 6,
        "commenter_type": "individual",
        "display_name": "Đỗ Thu Trang",
        "email": "trang.do@example.vn",
        "publish_name": False,
        "status": "approved",
        "body": (
            "Đề nghị nâng mức hỗ trợ cơ sở ươm tạo lên 70% chi phí trang thiết bị dùng chung."
        ),
    },
    {
        "round": TECHNOLOGY,
        "article": "Điều 5",
        "days_after_opening": 1,
        "commenter_type": "business",
        "display_name": "Trần Thị Mai",
        "organisation_name": "Công ty TNHH Cơ khí chính xác Phố Hiến",
        "email": "mai.tran@cokhi-phohien.example.vn",
        "publish_name": True,
        "status": "approved",
        "body": (
            "Điều kiện doanh nghiệp phải có hợp đồng chuyển giao công nghệ đã đăng ký là "
            "quá chặt với doanh nghiệp nhỏ. Đề nghị chấp nhận cả hợp đồng mua máy móc có "
            "kèm chuyển giao bí quyết công nghệ.\n\nTrân trọng."
        ),
    },
    {
        "round": TECHNOLOGY,
        "article": "",
        "days_after_opening": 2,
        "commenter_type": "individual",
        "display_name": "Nguyễn Văn Bình",
        "email": "binh.nv@example.vn",
        "publish_name": False,
        "status": "approved",
        "body": (
            "Tôi ủng hộ chính sách. Đề nghị công khai danh sách doanh nghiệp được hỗ trợ "
            "và số tiền hỗ trợ trên Cổng thông tin của Sở để người dân theo dõi."
        ),
    },
    {
        "round": TECHNOLOGY,
        "article": "Điều 2",
        "days_after_opening": 3,
        "commenter_type": "organisation",
        "display_name": "",
        "organisation_name": "Hiệp hội Doanh nghiệp tỉnh Hưng Yên",
        "email": "vanphong@hiephoidn-hungyen.example.vn",
        "publish_name": False,
        "status": "pending",
        "body": (
            "Đề nghị bổ sung hợp tác xã vào đối tượng áp dụng của Nghị quyết, vì nhiều hợp "
            "tác xã nông nghiệp cũng có nhu cầu đổi mới công nghệ chế biến."
        ),
    },
    *(
        {
            "round": TECHNOLOGY,
            "article": "Điều 5",
            "days_after_opening": 4,
            "commenter_type": "business",
            "display_name": "",
            "organisation_name": organisation,
            "email": email,
            "publish_name": False,
            "status": "pending",
            "body": CAMPAIGN_TEXT,
        }
        for organisation, email in [
            ("Công ty CP Dệt may Văn Lâm", "lienhe@detmay-vanlam.example.vn"),
            ("Công ty TNHH Nhựa Mỹ Hào", "info@nhua-myhao.example.vn"),
            ("Công ty CP Thực phẩm Khoái Châu", "contact@thucpham-khoaichau.example.vn"),
        ]
    ),
    # The same letter edited a little and signed: near-duplicates, one campaign with the
    # identical copies above (grouped by wagtail_policycomms.campaigns as they are loaded).
    *(
        {
            "round": TECHNOLOGY,
            "article": "Điều 5",
            "days_after_opening": 6,
            "commenter_type": "individual",
            "display_name": name,
            "email": email,
            "publish_name": True,
            "status": "pending",
            "body": body,
        }
        for name, email, body in [
            (
                "Đỗ Văn Thành",
                "thanh.do@example.vn",
                CAMPAIGN_TEXT.replace("Đề nghị", "Tôi đề nghị")
                + " Trân trọng, Đỗ Văn Thành, chủ hộ kinh doanh ở Văn Lâm.",
            ),
            (
                "Ngô Thị Hạnh",
                "hanh.ngo@example.vn",
                CAMPAIGN_TEXT.replace("mạnh dạn", "yên tâm")
                + " Xin cảm ơn Ban soạn thảo. Ngô Thị Hạnh.",
            ),
            (
                "Vũ Minh Khoa",
                "khoa.vu@example.vn",
                CAMPAIGN_TEXT.replace("chưa đủ", "hiện nay chưa đủ") + " Vũ Minh Khoa, Mỹ Hào.",
            ),
        ]
    ),
    {
        "round": TECHNOLOGY,
        "article": "",
        "days_after_opening": 5,
        "commenter_type": "individual",
        "display_name": "Khuyến mãi",
        "email": "promo@spam.example.com",
        "publish_name": True,
        "status": "spam",
        "body": "Mua máy móc giá rẻ, liên hệ ngay để được chiết khấu 30%!!!",
    },
    {
        "round": SCIENCE,
        "article": "Điều 3",
        "days_after_opening": 6,
        "commenter_type": "agency",
        "display_name": "",
        "organisation_name": "Trường Đại học Sư phạm Kỹ thuật Hưng Yên",
        "email": "khcn@utehy.example.vn",
        "publish_name": False,
        "status": "approved",
        "body": (
            "Đề nghị rút ngắn thời gian thẩm định hồ sơ đề xuất nhiệm vụ từ 30 ngày xuống "
            "20 ngày làm việc và cho phép nộp hồ sơ trực tuyến."
        ),
    },
    {
        "round": SCIENCE,
        "article": "",
        "days_after_opening": 8,
        "commenter_type": "individual",
        "display_name": "Lê Thị Hoa",
        "email": "hoa.le@example.vn",
        "publish_name": True,
        "status": "rejected",
        "body": "Nội dung không liên quan đến dự thảo, đề nghị sửa đường ở xã tôi.",
    },
]
