"""The department's 2024 plan carrying out Decision 407/QĐ-TTg, in its own words.

Source: "Kế hoạch số …/KH-SKHCN, tháng 3 năm 2024" of Sở Khoa học và Công nghệ tỉnh Hưng
Yên. The number and the day were left blank on the copy we have: the coordinator fills
them in the admin. Each activity of section II and each task of section III.1 is one
assignment, referenced by its number in the plan ("II.2.1", "III.1.4").

Choices where the plan is silent or does not fit one field:
- Activities the plan gives to a unit by role ("Phòng, đơn vị được giao chủ trì soạn
  thảo …") have no lead unit; the wording is kept in ``lead_unit_text`` and the
  assignments made per draft policy name the drafting unit.
- Coordinators outside the department or named by role ("Các phòng, đơn vị khác có liên
  quan", "Sở Tài chính") are written in the description ("Đơn vị phối hợp: …").
- Section III gives no time frame: the plan's year is used ("Năm 2024").
- Item II.5 (budget) has no unit: its text goes with III.1.5, the Office's budget task,
  and every activity's funding source says where the money comes from.
"""

from .names import ALL_UNITS, INFORMATION_CENTRE, INSPECTORATE, OFFICE

YEAR = 2024

#: Item II.5 of the plan, as a funding source.
FUNDING = (
    "Dự toán ngân sách thường xuyên hàng năm của cơ quan (Thông tư số 56/2023/TT-BTC "
    "ngày 18/8/2023 của Bộ trưởng Bộ Tài chính)"
)

DRAFTING_UNIT_ADVISING = (
    "Phòng, đơn vị được giao tham mưu soạn thảo văn bản quy phạm pháp luật của HĐND và UBND tỉnh"
)
DRAFTING_UNIT = "Phòng, đơn vị được giao chủ trì soạn thảo văn bản quy phạm pháp luật"
ALL_UNITS_TEXT = "Các phòng chuyên môn, đơn vị thuộc và trực thuộc Sở"
OTHER_UNITS = "Đơn vị phối hợp: Các phòng, đơn vị khác có liên quan."

TITLE = (
    "Kế hoạch thực hiện Đề án “Tổ chức truyền thông chính sách có tác động lớn đến xã hội "
    "trong quá trình xây dựng văn bản quy phạm pháp luật” năm 2024 tại Sở Khoa học và Công nghệ"
)

SUMMARY = (
    "Ban hành tháng 3 năm 2024 (số và ngày ký để trống trên bản thảo, điều phối viên bổ sung "
    "theo văn bản đã ký). Thực hiện Kế hoạch số 08/KH-HĐPH ngày 15/3/2024 của Hội đồng Phối hợp "
    "phổ biến, giáo dục pháp luật tỉnh Hưng Yên và Kế hoạch số 21/KH-SKHCN ngày 26/01/2024 của "
    "Sở Khoa học và Công nghệ.\n\n"
    "Mục đích: triển khai đồng bộ, thống nhất và hiệu quả các nhiệm vụ năm 2024 tại Quyết định "
    "số 407/QĐ-TTg ngày 30/3/2022 của Thủ tướng Chính phủ, Chỉ thị số 07/CT-TTg ngày 21/3/2023 "
    "và Kế hoạch số 126/KH-UBND ngày 07/7/2022 của UBND tỉnh; tạo điều kiện để cán bộ, công "
    "chức, viên chức, người lao động và cá nhân, tổ chức, doanh nghiệp nắm bắt kịp thời thông "
    "tin dự thảo chính sách, pháp luật và tham gia góp ý, phản biện; bảo đảm 100% chính sách có "
    "tác động lớn đến xã hội trong quá trình xây dựng văn bản quy phạm pháp luật thuộc phạm vi "
    "ban hành trên địa bàn tỉnh Hưng Yên được tổ chức truyền thông bằng các hình thức phù hợp "
    "theo quy định.\n\n"
    "Trong quá trình triển khai thực hiện, nếu có khó khăn, vướng mắc, các phòng chuyên môn, "
    "đơn vị trực thuộc Sở phản ánh với Lãnh đạo Sở (qua Thanh tra Sở) để kịp thời điều chỉnh, "
    "giải quyết. Bảo đảm các quy định về bảo vệ bí mật Nhà nước trong quá trình thực hiện."
)

ASSIGNMENTS = [
    {
        "reference": "II.1",
        "category": "disseminate",
        "title": "Tuyên truyền, phổ biến quy định về công tác truyền thông dự thảo chính sách",
        "description": (
            "Phối hợp tuyên truyền, phổ biến văn bản quy định về công tác truyền thông dự thảo "
            "chính sách; cử công chức tham gia các hội nghị, tập huấn về công tác truyền thông "
            "dự thảo chính sách."
        ),
        "lead_unit": INSPECTORATE,
        "lead_unit_text": INSPECTORATE,
        "coordinating_units": ALL_UNITS,
        "time_frame": "Năm 2024, khi có hướng dẫn, yêu cầu của Sở Tư pháp",
        "funding_source": FUNDING,
    },
    {
        "reference": "II.2.1",
        "category": "content",
        "title": "Xây dựng nội dung truyền thông dự thảo chính sách",
        "description": (
            "Xây dựng tài liệu, nội dung truyền thông dự thảo chính sách bảo đảm đầy đủ, ngắn "
            "gọn, dễ hiểu, hình thức phong phú, sinh động để đăng tải trên Cổng thông tin điện "
            "tử của Sở, Bản tin khoa học và công nghệ hoặc cơ quan thông tấn, báo chí khác phục "
            "vụ hoạt động truyền thông dự thảo chính sách. Nội dung truyền thông dự thảo chính "
            "sách gồm các vấn đề chủ yếu, như:\n"
            "- Sự cần thiết ban hành chính sách; mục đích, quan điểm xây dựng chính sách; phạm "
            "vi điều chỉnh, đối tượng áp dụng của chính sách.\n"
            "- Nội dung cơ bản của chính sách.\n"
            "- Nội dung mới hoặc sửa đổi, bổ sung, hủy bỏ, bãi bỏ so với quy định hiện hành về "
            "quyền, lợi ích hợp pháp và nghĩa vụ của người dân, tổ chức, doanh nghiệp; chú trọng "
            "các vấn đề khó, có nhiều ý kiến khác nhau.\n"
            "- Các nội dung khác cần thông tin rộng rãi đến cán bộ, công chức, viên chức, người "
            "lao động, người dân, tổ chức, doanh nghiệp và toàn xã hội (nếu có).\n\n"
            f"{OTHER_UNITS}"
        ),
        "lead_unit": None,
        "lead_unit_text": DRAFTING_UNIT_ADVISING,
        "coordinating_units": [],
        "time_frame": "Năm 2024",
        "funding_source": FUNDING,
    },
    {
        "reference": "II.2.2",
        "category": "forms",
        "title": "Tổ chức triển khai các hình thức truyền thông về dự thảo chính sách",
        "description": (
            "Căn cứ vào điều kiện và yêu cầu thực tiễn, phòng, đơn vị chủ trì soạn thảo văn bản "
            "quy phạm pháp luật phối hợp với các phòng, đơn vị khác có liên quan chủ động, linh "
            "hoạt tham mưu Lãnh đạo Sở lựa chọn hình thức tổ chức truyền thông dự thảo chính "
            "sách phù hợp bằng các hình thức, như:\n"
            "- Xây dựng các chuyên trang, chuyên mục đăng tải trên Cổng thông tin điện tử của "
            "Sở, Bản tin khoa học và công nghệ, Đài Phát thanh - Truyền hình tỉnh, Báo Hưng Yên.\n"
            "- Tổ chức các hội nghị, hội thảo, tọa đàm, diễn đàn, phỏng vấn, đối thoại trực "
            "tiếp, trực tuyến, họp báo để trao đổi, thông tin về dự thảo chính sách tới các cơ "
            "quan, tổ chức, người dân, doanh nghiệp.\n"
            "- Phối hợp với các địa phương tổ chức truyền thông dự thảo chính sách tại địa bàn "
            "cơ sở thông qua hệ thống truyền thanh cơ sở, niêm yết tại màn hình, bảng tin tại "
            "khu dân cư, lồng ghép trong các loại hình văn hóa cơ sở và các hình thức phù hợp "
            "khác.\n"
            "- Tổ chức truyền thông thông qua các ứng dụng mạng xã hội và hình thức truyền thông "
            "phù hợp khác.\n\n"
            f"{OTHER_UNITS}"
        ),
        "lead_unit": None,
        "lead_unit_text": DRAFTING_UNIT,
        "coordinating_units": [],
        "time_frame": "Năm 2024",
        "funding_source": FUNDING,
    },
    {
        "reference": "II.3",
        "category": "feedback",
        "title": (
            "Tổ chức tiếp nhận, xử lý thông tin góp ý, phản hồi, phản biện xã hội của các cơ "
            "quan, tổ chức, người dân, doanh nghiệp về dự thảo chính sách"
        ),
        "description": (
            # The signed text reads "các các nhân", a typo for "các cá nhân".
            "Đơn vị phối hợp: Các phòng, đơn vị khác thuộc Sở và các cá nhân, tổ chức khác có "
            "liên quan."
        ),
        "lead_unit": None,
        "lead_unit_text": DRAFTING_UNIT,
        "coordinating_units": [],
        "time_frame": "Năm 2024",
        "funding_source": FUNDING,
    },
    {
        "reference": "II.4",
        "category": "central",
        "title": (
            "Phối hợp tổ chức thực hiện truyền thông chính sách có tác động lớn đến xã hội "
            "trong quá trình xây dựng văn bản quy phạm pháp luật do cơ quan có thẩm quyền "
            "Trung ương ban hành"
        ),
        "description": "",
        "lead_unit": None,
        "lead_unit_text": (
            "Phòng, đơn vị có chức năng, nhiệm vụ liên quan đến chính sách phải thực hiện "
            "truyền thông khi có sự phân công"
        ),
        "coordinating_units": [],
        "time_frame": (
            "Năm 2024, khi có chính sách ban hành hoặc có đề nghị của cơ quan khác có liên quan"
        ),
        "funding_source": FUNDING,
    },
    {
        "reference": "III.1.1",
        "category": "other",
        "title": (
            "Tổ chức tuyên truyền, phổ biến nội dung Kế hoạch số 08/KH-HĐPH và nội dung của Kế "
            "hoạch này đến công chức, viên chức, người lao động thuộc phòng, đơn vị"
        ),
        "description": "",
        "lead_unit": None,
        "lead_unit_text": ALL_UNITS_TEXT,
        "coordinating_units": ALL_UNITS,
        "time_frame": "Năm 2024",
        "funding_source": "",
    },
    {
        "reference": "III.1.2",
        "category": "other",
        "title": (
            "Tăng cường công tác tuyên truyền, phổ biến pháp luật và các văn bản hướng dẫn thực "
            "hiện cho cán bộ, công chức, viên chức, người lao động thuộc phòng, đơn vị"
        ),
        "description": "",
        "lead_unit": None,
        "lead_unit_text": ALL_UNITS_TEXT,
        "coordinating_units": ALL_UNITS,
        "time_frame": "Năm 2024",
        "funding_source": "",
    },
    {
        "reference": "III.1.3",
        "category": "other",
        "title": (
            "Chủ động, kịp thời tham mưu và triển khai thực hiện các nội dung tại Kế hoạch số "
            "08/KH-HĐPH và nội dung của Kế hoạch này gắn với chức năng, nhiệm vụ của phòng, "
            "đơn vị"
        ),
        "description": (
            "Chủ động, kịp thời tham mưu và triển khai thực hiện các nội dung tại Kế hoạch số "
            "08/KH-HĐPH và nội dung của Kế hoạch này gắn với chức năng, nhiệm vụ của phòng, đơn "
            "vị đảm bảo phù hợp và hiệu quả. Chịu trách nhiệm trước Lãnh đạo Sở về kết quả thực "
            "hiện các nội dung của Kế hoạch này có liên quan đến lĩnh vực do phòng, đơn vị được "
            "giao phụ trách."
        ),
        "lead_unit": None,
        "lead_unit_text": ALL_UNITS_TEXT,
        "coordinating_units": ALL_UNITS,
        "time_frame": "Năm 2024",
        "funding_source": "",
    },
    {
        "reference": "III.1.4",
        "category": "other",
        "title": (
            "Chủ trì, tham mưu lãnh đạo Sở về triển khai, hướng dẫn, đôn đốc thực hiện Kế hoạch "
            "này; thực hiện chế độ báo cáo"
        ),
        "description": (
            "- Chủ trì, tham mưu lãnh đạo Sở về triển khai, hướng dẫn, đôn đốc các phòng chuyên "
            "môn, đơn vị trực thuộc Sở thực hiện Kế hoạch này.\n"
            "- Làm đầu mối tham mưu Lãnh đạo Sở tổ chức phối hợp với các sở, ban, ngành có liên "
            "quan khi được yêu cầu, đề nghị có nội dung liên quan đến Kế hoạch này.\n"
            "- Chủ trì, phối hợp với các phòng, đơn vị thực hiện chế độ báo cáo theo quy định và "
            "theo đề nghị, yêu cầu của các cơ quan có liên quan.\n\n"
            "Trong quá trình triển khai thực hiện, nếu có khó khăn, vướng mắc, các phòng chuyên "
            "môn, đơn vị trực thuộc Sở phản ánh với Lãnh đạo Sở (qua Thanh tra Sở) để kịp thời "
            "điều chỉnh, giải quyết."
        ),
        "lead_unit": INSPECTORATE,
        "lead_unit_text": INSPECTORATE,
        "coordinating_units": ALL_UNITS,
        "time_frame": "Năm 2024",
        "funding_source": "",
    },
    {
        "reference": "III.1.5",
        "category": "other",
        "title": (
            "Hướng dẫn các phòng, đơn vị lập dự toán kinh phí và quyết toán kinh phí từ ngân "
            "sách nhà nước thực hiện theo quy định"
        ),
        "description": (
            "Phối hợp với Sở Tài chính và các cơ quan có liên quan hướng dẫn các phòng, đơn vị "
            "lập dự toán kinh phí và quyết toán kinh phí từ ngân sách nhà nước thực hiện theo "
            "quy định.\n\n"
            "Kinh phí thực hiện (mục II.5 của Kế hoạch): Kinh phí thực hiện được bố trí trong dự "
            "toán ngân sách thường xuyên hàng năm của cơ quan theo phân cấp ngân sách nhà nước "
            "hiện hành. Việc lập dự toán, quản lý, sử dụng và quyết toán kinh phí phục vụ việc "
            "triển khai Kế hoạch thực hiện theo quy định tại Thông tư số 56/2023/TT-BTC ngày "
            "18/8/2023 của Bộ trưởng Bộ Tài chính quy định việc lập dự toán, quản lý, sử dụng và "
            "quyết toán kinh phí bảo đảm cho công tác phổ biến, giáo dục pháp luật, chuẩn tiếp "
            "cận pháp luật, hòa giải ở cơ sở và các văn bản có liên quan."
        ),
        "lead_unit": OFFICE,
        "lead_unit_text": OFFICE,
        "coordinating_units": [],
        "time_frame": "Năm 2024",
        "funding_source": FUNDING,
    },
    {
        "reference": "III.1.6",
        "category": "other",
        "title": (
            "Đăng tải nội dung văn bản hướng dẫn thực hiện và các chính sách phải thực hiện "
            "truyền thông lên Cổng thông tin điện tử của Sở; duy trì, nâng cao chất lượng "
            "chuyên mục phổ biến giáo dục pháp luật"
        ),
        "description": (
            "- Chủ động, phối hợp với Thanh tra Sở và các phòng, đơn vị kịp thời đăng tải nội "
            "dung của văn bản hướng dẫn thực hiện và các chính sách phải thực hiện truyền thông "
            "lên Cổng thông tin điện tử của Sở tạo thuận lợi cho công chức, viên chức, người lao "
            "động và Nhân dân tra cứu, thực hiện.\n"
            "- Duy trì và nâng cao chất lượng Cổng thông tin điện tử của Sở, trong đó xây dựng và "
            "nâng cao hiệu quả chuyên mục phổ biến giáo dục pháp luật."
        ),
        "lead_unit": INFORMATION_CENTRE,
        "lead_unit_text": INFORMATION_CENTRE,
        "coordinating_units": ALL_UNITS,
        "time_frame": "Năm 2024",
        "funding_source": "",
    },
]

PLAN = {
    "year": YEAR,
    # The number was left blank on the copy we have; the coordinator fills it in.
    "number": "/KH-SKHCN",
    "title": TITLE,
    # "ngày … tháng 3 năm 2024": no day, so no date (the month is in the summary).
    "issued_on": None,
    "summary": SUMMARY,
    "assignments": ASSIGNMENTS,
}
