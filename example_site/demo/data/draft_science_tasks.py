"""Demo draft: a decision of the Provincial People's Committee on managing provincial
science and technology tasks. Its consultation round has closed."""

from .organisation import SCIENCE_DIVISION, SECTOR_SCIENCE, how_to_comment

SUBJECT = "dự thảo Quy chế quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh"

DRAFT = {
    "slug": "quy-che-quan-ly-nhiem-vu-khcn-cap-tinh",
    "title": (
        "Quyết định ban hành Quy chế quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh "
        "sử dụng ngân sách nhà nước"
    ),
    "document_type": "ubnd_decision",
    "drafting_unit": SCIENCE_DIVISION,
    "sector": SECTOR_SCIENCE,
    "topics": ["nhiệm vụ khoa học và công nghệ", "khoán chi", "đánh giá nghiệm thu"],
    "major_social_impact": True,
    "published_days_ago": 78,
    "summary": (
        "Dự thảo Quyết định của Ủy ban nhân dân tỉnh thay thế quy chế hiện hành về quản lý nhiệm "
        "vụ khoa học và công nghệ cấp tỉnh: đặt hàng theo nhu cầu thực tiễn, khoán chi đến sản "
        "phẩm cuối cùng, chấp nhận rủi ro trong nghiên cứu và công khai kết quả nghiệm thu."
    ),
    "need": (
        "<p>Quy chế quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh hiện hành được xây dựng theo "
        "các quy định cũ, nhiều thủ tục trung gian, thời gian từ khi đề xuất đến khi ký hợp đồng "
        "kéo dài trung bình 8–10 tháng. Luật Khoa học, công nghệ và đổi mới sáng tạo năm 2025 "
        "đã thay đổi căn bản cơ chế quản lý: chuyển từ quản lý quá trình sang quản lý theo kết "
        "quả, khoán chi đến sản phẩm cuối cùng và chấp nhận rủi ro trong nghiên cứu.</p>"
        "<p>Vì vậy cần ban hành quy chế mới phù hợp với quy định của pháp luật và thực tiễn của "
        "tỉnh.</p>"
    ),
    "purpose": (
        "<ul>"
        "<li>Rút ngắn thời gian xác định, tuyển chọn và giao nhiệm vụ xuống không quá 4 tháng;</li>"
        "<li>Gắn nhiệm vụ với nhu cầu của ngành, địa phương và doanh nghiệp (đặt hàng);</li>"
        "<li>Tăng quyền tự chủ và trách nhiệm của tổ chức chủ trì, chủ nhiệm nhiệm vụ;</li>"
        "<li>Công khai, minh bạch trong toàn bộ quá trình quản lý.</li>"
        "</ul>"
    ),
    "scope": (
        "<p>Quy chế áp dụng đối với nhiệm vụ khoa học và công nghệ cấp tỉnh sử dụng ngân sách "
        "nhà nước, gồm đề tài, dự án sản xuất thử nghiệm và đề án khoa học.</p>"
        "<p>Đối tượng áp dụng: các sở, ban, ngành, Ủy ban nhân dân cấp xã đề xuất đặt hàng; tổ "
        "chức, cá nhân chủ trì, thực hiện nhiệm vụ; thành viên hội đồng tư vấn; cơ quan, tổ chức "
        "có liên quan.</p>"
    ),
    "basic_content": (
        "<ol>"
        "<li>Đề xuất, đặt hàng nhiệm vụ quanh năm trên môi trường điện tử;</li>"
        "<li>Tuyển chọn công khai là phương thức chính; giao trực tiếp chỉ áp dụng trong các "
        "trường hợp luật định;</li>"
        "<li>Khoán chi đến sản phẩm cuối cùng khi sản phẩm được định lượng, kiểm chứng được;</li>"
        "<li>Đánh giá, nghiệm thu dựa trên sản phẩm; kết quả được công bố trên Cổng thông tin "
        "điện tử của Sở;</li>"
        "<li>Xử lý rủi ro: không thu hồi kinh phí khi đã thực hiện đúng quy trình nhưng không "
        "đạt kết quả do rủi ro khách quan.</li>"
        "</ol>"
    ),
    "changes": (
        "<ul>"
        "<li><b>Mới:</b> cơ chế chấp nhận rủi ro, miễn trách nhiệm hoàn trả kinh phí khi đã thực "
        "hiện đúng quy trình;</li>"
        "<li><b>Sửa đổi:</b> thay thẩm định kinh phí chi tiết theo từng nội dung chi bằng khoán "
        "chi đến sản phẩm cuối cùng;</li>"
        "<li><b>Bổ sung:</b> nghĩa vụ công bố kết quả nghiệm thu và đăng ký kết quả thực hiện "
        "nhiệm vụ trong thời hạn 30 ngày;</li>"
        "<li><b>Bãi bỏ:</b> việc báo cáo định kỳ 6 tháng bằng văn bản giấy, thay bằng cập nhật "
        "tiến độ trên hệ thống quản lý nhiệm vụ trực tuyến.</li>"
        "</ul>"
    ),
    "contentious_issues": (
        "<ol>"
        "<li>Tiêu chí xác định “rủi ro khách quan” để không phải hoàn trả kinh phí;</li>"
        "<li>Có cho phép một cá nhân đồng thời làm chủ nhiệm hai nhiệm vụ cấp tỉnh không;</li>"
        "<li>Tỷ lệ vốn đối ứng tối thiểu của doanh nghiệp đối với dự án sản xuất thử nghiệm "
        "(30% hay 50%).</li>"
        "</ol>"
    ),
    "other_content": "",
    "articles": [
        (
            "Điều 1",
            "Phạm vi điều chỉnh",
            "<p>Quy chế này quy định việc xác định, tuyển chọn, giao trực tiếp, kiểm tra, đánh "
            "giá, nghiệm thu và công bố kết quả nhiệm vụ khoa học và công nghệ cấp tỉnh sử dụng "
            "ngân sách nhà nước.</p>",
        ),
        (
            "Điều 2",
            "Đối tượng áp dụng",
            "<p>Quy chế này áp dụng đối với cơ quan, tổ chức, cá nhân đề xuất, chủ trì, thực hiện "
            "và quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh.</p>",
        ),
        (
            "Điều 3",
            "Đề xuất, đặt hàng nhiệm vụ",
            "<ol><li>Các sở, ban, ngành, Ủy ban nhân dân cấp xã, doanh nghiệp gửi đề xuất đặt "
            "hàng quanh năm qua hệ thống quản lý nhiệm vụ trực tuyến của Sở Khoa học và Công "
            "nghệ.</li>"
            "<li>Hội đồng tư vấn xác định nhiệm vụ họp ít nhất 02 lần mỗi năm.</li></ol>",
        ),
        (
            "Điều 4",
            "Tuyển chọn, giao trực tiếp",
            "<ol><li>Nhiệm vụ được tuyển chọn công khai; thông báo tuyển chọn đăng trên Cổng "
            "thông tin điện tử của Sở ít nhất 30 ngày.</li>"
            "<li>Giao trực tiếp chỉ áp dụng đối với nhiệm vụ thuộc bí mật nhà nước, nhiệm vụ cấp "
            "bách hoặc chỉ có một tổ chức đủ năng lực thực hiện.</li></ol>",
        ),
        (
            "Điều 5",
            "Khoán chi đến sản phẩm cuối cùng",
            "<p>Nhiệm vụ có sản phẩm định lượng, kiểm chứng được thực hiện khoán chi đến sản phẩm "
            "cuối cùng. Tổ chức chủ trì được tự quyết định việc sử dụng kinh phí khoán và chịu "
            "trách nhiệm về sản phẩm theo hợp đồng.</p>",
        ),
        (
            "Điều 6",
            "Đánh giá, nghiệm thu và công bố kết quả",
            "<ol><li>Nhiệm vụ được nghiệm thu dựa trên sản phẩm đã đăng ký trong hợp đồng.</li>"
            "<li>Kết quả nghiệm thu được công bố trên Cổng thông tin điện tử của Sở trong thời "
            "hạn 30 ngày kể từ ngày có kết luận của hội đồng.</li></ol>",
        ),
        (
            "Điều 7",
            "Xử lý rủi ro",
            "<p>Tổ chức chủ trì, chủ nhiệm nhiệm vụ đã thực hiện đúng quy trình, quy định nhưng "
            "không đạt kết quả do rủi ro khách quan thì không phải hoàn trả kinh phí đã sử "
            "dụng.</p>",
        ),
        (
            "Điều 8",
            "Trách nhiệm thi hành",
            "<p>Giám đốc Sở Khoa học và Công nghệ, thủ trưởng các sở, ban, ngành, Chủ tịch Ủy ban "
            "nhân dân các xã, phường và tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành "
            "Quy chế này.</p>",
        ),
    ],
    "consultations": [
        {
            "slug": "lay-y-kien-du-thao",
            "title": "Lấy ý kiến về dự thảo Quy chế",
            "opens_in_days": -75,
            "closes_in_days": -40,
            "receiving_unit": SCIENCE_DIVISION,
            "audience": (
                "<ul><li>Các sở, ban, ngành tỉnh; Ủy ban nhân dân các xã, phường;</li>"
                "<li>Viện, trường, tổ chức khoa học và công nghệ; doanh nghiệp;</li>"
                "<li>Nhà khoa học, chủ nhiệm nhiệm vụ khoa học và công nghệ.</li></ul>"
            ),
            "questions": (
                "<ol><li>Tiêu chí “rủi ro khách quan” tại Điều 7 đã đủ rõ chưa?</li>"
                "<li>Thời hạn thông báo tuyển chọn 30 ngày tại Điều 4 có phù hợp không?</li></ol>"
            ),
            "how_to_comment": how_to_comment(SUBJECT),
        },
    ],
}
