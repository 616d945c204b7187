"""Demo draft: a resolution supporting innovative start-ups. Two consultation rounds: the
policy proposal (closed) and the draft resolution (upcoming)."""

from .organisation import SECTOR_INNOVATION, TECHNOLOGY_DIVISION, how_to_comment

SUBJECT = "dự thảo Nghị quyết hỗ trợ khởi nghiệp đổi mới sáng tạo"

DRAFT = {
    "slug": "nghi-quyet-ho-tro-khoi-nghiep-doi-moi-sang-tao",
    "title": (
        "Nghị quyết quy định chính sách hỗ trợ khởi nghiệp đổi mới sáng tạo "
        "trên địa bàn tỉnh Hưng Yên"
    ),
    "document_type": "hdnd_resolution",
    "drafting_unit": TECHNOLOGY_DIVISION,
    "sector": SECTOR_INNOVATION,
    "topics": ["khởi nghiệp", "đổi mới sáng tạo", "thanh niên"],
    "major_social_impact": True,
    "published_days_ago": 62,
    "summary": (
        "Dự thảo Nghị quyết của Hội đồng nhân dân tỉnh về hỗ trợ cá nhân, nhóm cá nhân và doanh "
        "nghiệp khởi nghiệp đổi mới sáng tạo: ươm tạo, hoàn thiện sản phẩm, bảo hộ sở hữu trí "
        "tuệ, kết nối đầu tư. Đề nghị xây dựng Nghị quyết đã được lấy ý kiến; dự thảo Nghị quyết "
        "sẽ được lấy ý kiến trong đợt tiếp theo."
    ),
    "need": (
        "<p>Hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh mới hình thành, số dự án khởi "
        "nghiệp còn ít, quy mô nhỏ, chủ yếu trong lĩnh vực nông nghiệp và thương mại điện tử. "
        "Các dự án gặp khó khăn về vốn giai đoạn đầu, về không gian làm việc và kết nối với nhà "
        "đầu tư.</p>"
        "<p>Tỉnh chưa có chính sách riêng hỗ trợ khởi nghiệp đổi mới sáng tạo; vì vậy cần ban "
        "hành Nghị quyết để tạo môi trường thuận lợi, thu hút thanh niên, sinh viên và doanh "
        "nghiệp trẻ khởi nghiệp tại tỉnh.</p>"
    ),
    "purpose": (
        "<ul>"
        "<li>Hình thành và phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh;</li>"
        "<li>Đến năm 2030 hỗ trợ ít nhất 100 dự án khởi nghiệp, trong đó 30 dự án gọi được vốn "
        "từ nhà đầu tư;</li>"
        "<li>Nhà nước hỗ trợ, kiến tạo; khởi nghiệp do thị trường dẫn dắt.</li>"
        "</ul>"
    ),
    "scope": (
        "<p>Đối tượng áp dụng: cá nhân, nhóm cá nhân có dự án khởi nghiệp đổi mới sáng tạo; "
        "doanh nghiệp khởi nghiệp đổi mới sáng tạo thành lập không quá 05 năm; cơ sở ươm tạo, "
        "không gian làm việc chung, tổ chức thúc đẩy kinh doanh đặt tại tỉnh Hưng Yên.</p>"
    ),
    "basic_content": (
        "<ol>"
        "<li>Hỗ trợ cơ sở ươm tạo, không gian làm việc chung: tối đa 500 triệu đồng cho đầu tư "
        "trang thiết bị dùng chung;</li>"
        "<li>Hỗ trợ dự án khởi nghiệp hoàn thiện sản phẩm mẫu, thử nghiệm thị trường: tối đa 200 "
        "triệu đồng cho một dự án;</li>"
        "<li>Hỗ trợ 100% chi phí đăng ký bảo hộ sáng chế, kiểu dáng công nghiệp, nhãn hiệu;</li>"
        "<li>Hỗ trợ tham gia sự kiện, cuộc thi khởi nghiệp trong nước và quốc tế, kết nối nhà "
        "đầu tư.</li>"
        "</ol>"
    ),
    "changes": (
        "<p>Đây là chính sách mới của tỉnh, chưa có quy định hiện hành tương ứng. Dự thảo bổ sung "
        "nghĩa vụ của dự án được hỗ trợ: duy trì hoạt động trên địa bàn tỉnh ít nhất 03 năm kể "
        "từ ngày nhận hỗ trợ.</p>"
    ),
    "contentious_issues": (
        "<ol>"
        "<li>Có hỗ trợ trực tiếp bằng tiền cho dự án ở giai đoạn ý tưởng hay chỉ hỗ trợ qua cơ "
        "sở ươm tạo?</li>"
        "<li>Điều kiện “duy trì hoạt động trên địa bàn tỉnh 03 năm” có làm giảm sức hấp dẫn của "
        "chính sách không?</li>"
        "<li>Tiêu chí lựa chọn dự án: do hội đồng chuyên gia chấm điểm hay theo kết quả các cuộc "
        "thi khởi nghiệp?</li>"
        "</ol>"
    ),
    "other_content": (
        "<p>Tổng hợp ý kiến đợt lấy ý kiến về đề nghị xây dựng Nghị quyết đã được tiếp thu, giải "
        "trình trong hồ sơ trình Ủy ban nhân dân tỉnh.</p>"
    ),
    "articles": [
        (
            "Điều 1",
            "Phạm vi điều chỉnh",
            "<p>Nghị quyết này quy định chính sách hỗ trợ khởi nghiệp đổi mới sáng tạo trên địa "
            "bàn tỉnh Hưng Yên giai đoạn 2026–2030.</p>",
        ),
        (
            "Điều 2",
            "Đối tượng áp dụng",
            "<ol><li>Cá nhân, nhóm cá nhân có dự án khởi nghiệp đổi mới sáng tạo.</li>"
            "<li>Doanh nghiệp khởi nghiệp đổi mới sáng tạo thành lập không quá 05 năm.</li>"
            "<li>Cơ sở ươm tạo, không gian làm việc chung, tổ chức thúc đẩy kinh doanh.</li></ol>",
        ),
        (
            "Điều 3",
            "Hỗ trợ cơ sở ươm tạo, không gian làm việc chung",
            "<p>Hỗ trợ 50% chi phí đầu tư trang thiết bị dùng chung, tối đa 500 triệu đồng cho "
            "một cơ sở.</p>",
        ),
        (
            "Điều 4",
            "Hỗ trợ dự án khởi nghiệp",
            "<ol><li>Hỗ trợ 70% chi phí hoàn thiện sản phẩm mẫu, thử nghiệm thị trường, tối đa "
            "200 triệu đồng cho một dự án.</li>"
            "<li>Hỗ trợ 100% chi phí đăng ký bảo hộ sáng chế, kiểu dáng công nghiệp, nhãn hiệu "
            "trong nước.</li></ol>",
        ),
        (
            "Điều 5",
            "Hỗ trợ kết nối đầu tư, thị trường",
            "<p>Hỗ trợ 100% chi phí thuê gian hàng, tối đa 50 triệu đồng cho mỗi lần tham gia sự "
            "kiện, cuộc thi khởi nghiệp trong nước và 100 triệu đồng đối với sự kiện quốc tế.</p>",
        ),
        (
            "Điều 6",
            "Nghĩa vụ của tổ chức, cá nhân được hỗ trợ",
            "<p>Duy trì hoạt động trên địa bàn tỉnh ít nhất 03 năm kể từ ngày nhận hỗ trợ; báo "
            "cáo kết quả hằng năm; hoàn trả kinh phí nếu sử dụng sai mục đích.</p>",
        ),
        (
            "Điều 7",
            "Tổ chức thực hiện",
            "<p>Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này. Thường trực Hội đồng "
            "nhân dân tỉnh, các Ban và đại biểu Hội đồng nhân dân tỉnh giám sát việc thực "
            "hiện.</p>",
        ),
    ],
    # The text as revised after the first round and put to the second ("What changed and
    # why"): (number, heading, text, the number the article had before, None if new).
    # Điều 4 moves up, unchanged; the old Điều 3 follows it and changes; the old Điều 5 is
    # removed; a new Điều 5 is added; Điều 6 changes (two years instead of three).
    "revision": [
        (
            "Điều 1",
            "Phạm vi điều chỉnh",
            "<p>Nghị quyết này quy định chính sách hỗ trợ khởi nghiệp đổi mới sáng tạo trên địa "
            "bàn tỉnh Hưng Yên giai đoạn 2026–2030.</p>",
            "Điều 1",
        ),
        (
            "Điều 2",
            "Đối tượng áp dụng",
            "<ol><li>Cá nhân, nhóm cá nhân có dự án khởi nghiệp đổi mới sáng tạo.</li>"
            "<li>Doanh nghiệp khởi nghiệp đổi mới sáng tạo thành lập không quá 05 năm, có trụ "
            "sở chính trên địa bàn tỉnh.</li>"
            "<li>Cơ sở ươm tạo, không gian làm việc chung, tổ chức thúc đẩy kinh doanh.</li></ol>",
            "Điều 2",
        ),
        (
            "Điều 3",
            "Hỗ trợ dự án khởi nghiệp",
            "<ol><li>Hỗ trợ 70% chi phí hoàn thiện sản phẩm mẫu, thử nghiệm thị trường, tối đa "
            "200 triệu đồng cho một dự án.</li>"
            "<li>Hỗ trợ 100% chi phí đăng ký bảo hộ sáng chế, kiểu dáng công nghiệp, nhãn hiệu "
            "trong nước.</li></ol>",
            "Điều 4",
        ),
        (
            "Điều 4",
            "Hỗ trợ cơ sở ươm tạo, không gian làm việc chung",
            "<p>Hỗ trợ 50% chi phí đầu tư trang thiết bị dùng chung, tối đa 700 triệu đồng cho "
            "một cơ sở; ưu tiên cơ sở ươm tạo của trường đại học, cao đẳng trên địa bàn "
            "tỉnh.</p>",
            "Điều 3",
        ),
        (
            "Điều 5",
            "Hỗ trợ đào tạo, huấn luyện khởi nghiệp",
            "<p>Hỗ trợ 100% chi phí tổ chức các khóa đào tạo, huấn luyện về khởi nghiệp đổi mới "
            "sáng tạo do cơ sở ươm tạo thực hiện, tối đa 100 triệu đồng mỗi năm cho một cơ "
            "sở.</p>",
            None,
        ),
        (
            "Điều 6",
            "Nghĩa vụ của tổ chức, cá nhân được hỗ trợ",
            "<p>Duy trì hoạt động trên địa bàn tỉnh ít nhất 02 năm kể từ ngày nhận hỗ trợ; báo "
            "cáo kết quả hằng năm; hoàn trả kinh phí nếu sử dụng sai mục đích.</p>",
            "Điều 6",
        ),
        (
            "Điều 7",
            "Tổ chức thực hiện",
            "<p>Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này. Thường trực Hội đồng "
            "nhân dân tỉnh, các Ban và đại biểu Hội đồng nhân dân tỉnh giám sát việc thực "
            "hiện.</p>",
            "Điều 7",
        ),
    ],
    "consultations": [
        {
            "slug": "lay-y-kien-de-nghi-xay-dung",
            "title": "Lấy ý kiến về đề nghị xây dựng Nghị quyết",
            "opens_in_days": -60,
            "closes_in_days": -30,
            "receiving_unit": TECHNOLOGY_DIVISION,
            "audience": (
                "<ul><li>Các sở, ban, ngành; Tỉnh đoàn; Hiệp hội Doanh nghiệp tỉnh;</li>"
                "<li>Trường đại học, cao đẳng trên địa bàn tỉnh;</li>"
                "<li>Cá nhân, doanh nghiệp khởi nghiệp.</li></ul>"
            ),
            "questions": (
                "<ol><li>Các chính sách đề xuất có đúng những khó khăn của người khởi nghiệp "
                "không?</li>"
                "<li>Nên ưu tiên những lĩnh vực khởi nghiệp nào?</li></ol>"
            ),
            "how_to_comment": how_to_comment("đề nghị xây dựng Nghị quyết hỗ trợ khởi nghiệp"),
        },
        {
            "slug": "lay-y-kien-du-thao",
            "title": "Lấy ý kiến về dự thảo Nghị quyết",
            # Put to the revised text (``revision``), published again once it is live.
            "on_revision": True,
            "opens_in_days": 7,
            "closes_in_days": 37,
            "receiving_unit": TECHNOLOGY_DIVISION,
            "audience": (
                "<ul><li>Cá nhân, nhóm cá nhân và doanh nghiệp khởi nghiệp;</li>"
                "<li>Cơ sở ươm tạo, không gian làm việc chung, nhà đầu tư;</li>"
                "<li>Các sở, ban, ngành và Ủy ban nhân dân các xã, phường.</li></ul>"
            ),
            "questions": (
                "<ol><li>Mức hỗ trợ tại Điều 4 và Điều 5 có phù hợp không?</li>"
                "<li>Nghĩa vụ tại Điều 6 có nên giảm xuống 02 năm không?</li></ol>"
            ),
            "how_to_comment": how_to_comment(
                SUBJECT,
                meeting="Tham dự tọa đàm “Khởi nghiệp đổi mới sáng tạo Hưng Yên” do Sở phối hợp "
                "với Tỉnh đoàn tổ chức trong thời gian lấy ý kiến.",
            ),
        },
    ],
}
