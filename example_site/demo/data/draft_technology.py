"""Demo draft: a resolution of the Provincial People's Council supporting businesses that
renew their technology. One consultation round, open when the demo is loaded."""

from .organisation import SECTOR_SCIENCE, TECHNOLOGY_DIVISION, how_to_comment

SUBJECT = "dự thảo Nghị quyết hỗ trợ doanh nghiệp đổi mới công nghệ"

DRAFT = {
    "slug": "nghi-quyet-ho-tro-doanh-nghiep-doi-moi-cong-nghe",
    "title": (
        "Nghị quyết quy định chính sách hỗ trợ doanh nghiệp đổi mới công nghệ "
        "trên địa bàn tỉnh Hưng Yên"
    ),
    "document_type": "hdnd_resolution",
    "drafting_unit": TECHNOLOGY_DIVISION,
    "sector": SECTOR_SCIENCE,
    "topics": ["đổi mới công nghệ", "doanh nghiệp nhỏ và vừa", "chuyển giao công nghệ"],
    "major_social_impact": True,
    "published_days_ago": 12,
    "summary": (
        "Dự thảo Nghị quyết của Hội đồng nhân dân tỉnh quy định nội dung, mức hỗ trợ từ ngân sách "
        "tỉnh cho doanh nghiệp nhận chuyển giao, đổi mới công nghệ, ứng dụng tự động hóa và "
        "chuyển đổi số trong sản xuất, giai đoạn 2026–2030. Sở Khoa học và Công nghệ lấy ý kiến "
        "doanh nghiệp, hiệp hội doanh nghiệp, cơ quan, tổ chức và người dân về dự thảo."
    ),
    "need": (
        "<p>Phần lớn doanh nghiệp trên địa bàn tỉnh là doanh nghiệp nhỏ và vừa, trình độ công "
        "nghệ ở mức trung bình, nhiều dây chuyền đã qua sử dụng trên 10 năm, tiêu tốn năng lượng "
        "và nguyên liệu. Chi phí đổi mới công nghệ lớn, thời gian thu hồi vốn dài nên doanh "
        "nghiệp còn e ngại đầu tư.</p>"
        "<p>Các chính sách hỗ trợ hiện có còn phân tán ở nhiều văn bản, mức hỗ trợ thấp, hồ sơ "
        "phức tạp, chưa bao quát các hoạt động mới như tự động hóa, chuyển đổi số trong sản xuất. "
        "Việc ban hành một nghị quyết thống nhất nhằm cụ thể hóa Nghị quyết số 57-NQ/TW ngày "
        "22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
        "và chuyển đổi số quốc gia, Luật Chuyển giao công nghệ năm 2017 và Luật Khoa học, công "
        "nghệ và đổi mới sáng tạo năm 2025 là cần thiết.</p>"
    ),
    "purpose": (
        "<p><b>Mục đích:</b> khuyến khích doanh nghiệp chủ động đầu tư đổi mới công nghệ, nâng "
        "cao năng suất, chất lượng và sức cạnh tranh của sản phẩm; phấn đấu đến năm 2030 có ít "
        "nhất 300 doanh nghiệp được hỗ trợ đổi mới công nghệ.</p>"
        "<p><b>Quan điểm xây dựng chính sách:</b></p>"
        "<ul>"
        "<li>Doanh nghiệp là trung tâm của đổi mới công nghệ; ngân sách nhà nước đóng vai trò "
        "“vốn mồi”, hỗ trợ một phần chi phí;</li>"
        "<li>Hỗ trợ có trọng tâm, ưu tiên công nghệ tiên tiến, công nghệ xanh, tiết kiệm năng "
        "lượng;</li>"
        "<li>Thủ tục đơn giản, công khai, minh bạch, thực hiện trên môi trường điện tử.</li>"
        "</ul>"
    ),
    "scope": (
        "<p><b>Phạm vi điều chỉnh:</b> nội dung, mức hỗ trợ, điều kiện và trình tự hỗ trợ doanh "
        "nghiệp đổi mới công nghệ từ ngân sách tỉnh.</p>"
        "<p><b>Đối tượng áp dụng:</b></p>"
        "<ul>"
        "<li>Doanh nghiệp thành lập theo Luật Doanh nghiệp, có trụ sở chính hoặc cơ sở sản xuất "
        "trên địa bàn tỉnh Hưng Yên;</li>"
        "<li>Hợp tác xã có hoạt động sản xuất, chế biến trên địa bàn tỉnh;</li>"
        "<li>Cơ quan, tổ chức, cá nhân có liên quan đến việc thực hiện chính sách.</li>"
        "</ul>"
    ),
    "basic_content": (
        "<p>Dự thảo gồm 7 điều, quy định ba nhóm hỗ trợ:</p>"
        "<ol>"
        "<li>Hỗ trợ 30% giá trị hợp đồng nhận chuyển giao công nghệ, mua máy móc, thiết bị gắn "
        "với chuyển giao công nghệ, tối đa 500 triệu đồng cho một dự án;</li>"
        "<li>Hỗ trợ 50% chi phí ứng dụng tự động hóa, phần mềm quản lý sản xuất, tối đa 300 "
        "triệu đồng cho một doanh nghiệp;</li>"
        "<li>Hỗ trợ 100% chi phí tư vấn đánh giá trình độ, năng lực công nghệ, tối đa 50 triệu "
        "đồng cho một doanh nghiệp.</li>"
        "</ol>"
        "<p>Mỗi doanh nghiệp được hỗ trợ không quá 01 lần cho mỗi nội dung trong giai đoạn "
        "2026–2030.</p>"
    ),
    "changes": (
        "<p>So với quy định hiện hành, dự thảo có các điểm mới:</p>"
        "<ul>"
        "<li><b>Mới:</b> hỗ trợ ứng dụng tự động hóa và phần mềm quản lý sản xuất (trước đây "
        "chưa có);</li>"
        "<li><b>Sửa đổi:</b> nâng mức hỗ trợ tối đa cho dự án chuyển giao công nghệ; mở rộng đối "
        "tượng áp dụng cho hợp tác xã;</li>"
        "<li><b>Bổ sung:</b> nghĩa vụ của doanh nghiệp báo cáo kết quả sau 12 tháng kể từ khi "
        "nhận hỗ trợ và hoàn trả kinh phí nếu sử dụng sai mục đích;</li>"
        "<li><b>Bãi bỏ:</b> yêu cầu nộp bản sao chứng thực giấy tờ; hồ sơ được nộp trực tuyến "
        "trên Cổng dịch vụ công của tỉnh.</li>"
        "</ul>"
    ),
    "contentious_issues": (
        "<p>Trong quá trình soạn thảo còn các vấn đề có nhiều ý kiến khác nhau, đề nghị cơ quan, "
        "tổ chức, doanh nghiệp tập trung góp ý:</p>"
        "<ol>"
        "<li>Có nên ưu tiên doanh nghiệp nhỏ và vừa (mức hỗ trợ cao hơn 10%) hay áp dụng một mức "
        "chung cho mọi doanh nghiệp?</li>"
        "<li>Mức trần 500 triệu đồng cho một dự án chuyển giao công nghệ có phù hợp không? Một số "
        "ý kiến đề nghị nâng lên 1 tỷ đồng đối với công nghệ cao.</li>"
        "<li>Có hỗ trợ máy móc, thiết bị đã qua sử dụng hay chỉ hỗ trợ thiết bị mới?</li>"
        "</ol>"
    ),
    "other_content": (
        "<p>Dự kiến tổng kinh phí thực hiện giai đoạn 2026–2030 khoảng 60 tỷ đồng từ nguồn sự "
        "nghiệp khoa học và công nghệ của tỉnh. Dự thảo Tờ trình và Báo cáo đánh giá tác động "
        "của chính sách được đăng kèm dự thảo Nghị quyết.</p>"
    ),
    "articles": [
        (
            "Điều 1",
            "Phạm vi điều chỉnh",
            "<p>Nghị quyết này quy định nội dung, mức hỗ trợ, điều kiện và trình tự hỗ trợ doanh "
            "nghiệp, hợp tác xã đổi mới công nghệ trên địa bàn tỉnh Hưng Yên giai đoạn "
            "2026–2030.</p>",
        ),
        (
            "Điều 2",
            "Đối tượng áp dụng",
            "<ol><li>Doanh nghiệp thành lập theo quy định của Luật Doanh nghiệp, có trụ sở chính "
            "hoặc cơ sở sản xuất trên địa bàn tỉnh.</li>"
            "<li>Hợp tác xã có hoạt động sản xuất, chế biến trên địa bàn tỉnh.</li>"
            "<li>Cơ quan, tổ chức, cá nhân có liên quan.</li></ol>",
        ),
        (
            "Điều 3",
            "Nguyên tắc hỗ trợ",
            "<ol><li>Hỗ trợ sau đầu tư, trên cơ sở kết quả thực hiện và chứng từ hợp lệ.</li>"
            "<li>Một nội dung chỉ được hỗ trợ từ một chính sách; trường hợp cùng nội dung được "
            "hưởng nhiều chính sách thì doanh nghiệp lựa chọn chính sách có lợi nhất.</li>"
            "<li>Mỗi doanh nghiệp được hỗ trợ không quá 01 lần cho mỗi nội dung quy định tại "
            "Điều 4 Nghị quyết này trong giai đoạn 2026–2030.</li></ol>",
        ),
        (
            "Điều 4",
            "Nội dung và mức hỗ trợ",
            "<ol><li>Hỗ trợ 30% giá trị hợp đồng nhận chuyển giao công nghệ, mua máy móc, thiết "
            "bị gắn với chuyển giao công nghệ, tối đa 500 triệu đồng cho một dự án.</li>"
            "<li>Hỗ trợ 50% chi phí ứng dụng tự động hóa, phần mềm quản lý sản xuất, tối đa 300 "
            "triệu đồng cho một doanh nghiệp.</li>"
            "<li>Hỗ trợ 100% chi phí thuê tư vấn đánh giá trình độ, năng lực công nghệ, tối đa "
            "50 triệu đồng cho một doanh nghiệp.</li></ol>",
        ),
        (
            "Điều 5",
            "Điều kiện hỗ trợ",
            "<ol><li>Công nghệ nhận chuyển giao không thuộc Danh mục công nghệ hạn chế chuyển "
            "giao, cấm chuyển giao.</li>"
            "<li>Máy móc, thiết bị là thiết bị mới, có nguồn gốc rõ ràng.</li>"
            "<li>Doanh nghiệp không nợ thuế, không đang trong thời gian bị xử phạt vi phạm hành "
            "chính về môi trường.</li></ol>",
        ),
        (
            "Điều 6",
            "Kinh phí thực hiện",
            "<p>Kinh phí thực hiện Nghị quyết được bố trí từ nguồn chi sự nghiệp khoa học và công "
            "nghệ trong dự toán ngân sách tỉnh hằng năm và các nguồn hợp pháp khác.</p>",
        ),
        (
            "Điều 7",
            "Tổ chức thực hiện",
            "<ol><li>Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này; quy định hồ sơ, "
            "trình tự, thủ tục hỗ trợ.</li>"
            "<li>Thường trực Hội đồng nhân dân tỉnh, các Ban của Hội đồng nhân dân tỉnh, các Tổ "
            "đại biểu và đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện Nghị quyết.</li>"
            "</ol>",
        ),
    ],
    "consultations": [
        {
            "slug": "lay-y-kien-du-thao",
            "title": "Lấy ý kiến về dự thảo Nghị quyết",
            "opens_in_days": -10,
            "closes_in_days": 25,
            "receiving_unit": TECHNOLOGY_DIVISION,
            "audience": (
                "<ul><li>Doanh nghiệp, hợp tác xã có hoạt động sản xuất trên địa bàn tỉnh;</li>"
                "<li>Hiệp hội Doanh nghiệp tỉnh, Hội Doanh nhân trẻ tỉnh;</li>"
                "<li>Các sở, ban, ngành và Ủy ban nhân dân các xã, phường;</li>"
                "<li>Chuyên gia, nhà khoa học và người dân quan tâm.</li></ul>"
            ),
            "questions": (
                "<ol><li>Mức hỗ trợ và mức trần tại Điều 4 có đủ sức khuyến khích doanh nghiệp "
                "đầu tư không?</li>"
                "<li>Có nên hỗ trợ máy móc, thiết bị đã qua sử dụng (Điều 5) không?</li>"
                "<li>Thủ tục nào cần đơn giản hóa thêm để doanh nghiệp dễ tiếp cận chính sách?"
                "</li></ol>"
            ),
            "how_to_comment": how_to_comment(
                SUBJECT,
                meeting="Tham dự hội nghị đối thoại với doanh nghiệp do Sở tổ chức; thời gian, "
                "địa điểm được thông báo trên Cổng thông tin điện tử của Sở.",
            ),
        },
    ],
}
