"""Demo draft: a decision assigning State management of product quality. Published for
information; no consultation round has been opened on it yet."""

from .organisation import SECTOR_QUALITY, SPECIALISED_DIVISION

DRAFT = {
    "slug": "quy-dinh-phan-cong-quan-ly-chat-luong-san-pham-hang-hoa",
    "title": (
        "Quyết định ban hành Quy định phân công, phối hợp quản lý nhà nước về chất lượng sản "
        "phẩm, hàng hóa trên địa bàn tỉnh Hưng Yên"
    ),
    "document_type": "ubnd_decision",
    "drafting_unit": SPECIALISED_DIVISION,
    "sector": SECTOR_QUALITY,
    "topics": ["chất lượng sản phẩm hàng hóa", "kiểm tra nhà nước", "phân công trách nhiệm"],
    "major_social_impact": False,
    "published_days_ago": 20,
    "summary": (
        "Dự thảo Quyết định của Ủy ban nhân dân tỉnh phân công trách nhiệm và cơ chế phối hợp "
        "giữa các sở, ngành và Ủy ban nhân dân cấp xã trong quản lý nhà nước về chất lượng sản "
        "phẩm, hàng hóa, phù hợp với mô hình chính quyền địa phương hai cấp."
    ),
    "need": (
        "<p>Từ ngày 01/7/2025 tổ chức chính quyền địa phương hai cấp được áp dụng; các quy định "
        "phân công quản lý chất lượng sản phẩm, hàng hóa hiện hành vẫn giao nhiều nhiệm vụ cho "
        "cấp huyện, không còn phù hợp. Cần phân công lại trách nhiệm giữa các sở, ngành và Ủy "
        "ban nhân dân cấp xã để không bỏ sót, không chồng chéo nhiệm vụ.</p>"
    ),
    "purpose": (
        "<p>Xác định rõ cơ quan chịu trách nhiệm đối với từng nhóm sản phẩm, hàng hóa; tăng "
        "cường phối hợp trong kiểm tra, xử lý vi phạm; giảm kiểm tra trùng lặp đối với doanh "
        "nghiệp.</p>"
    ),
    "scope": (
        "<p>Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường và tổ chức, cá nhân sản xuất, "
        "kinh doanh sản phẩm, hàng hóa trên địa bàn tỉnh.</p>"
    ),
    "basic_content": (
        "<ul>"
        "<li>Sở Khoa học và Công nghệ là cơ quan đầu mối, giúp Ủy ban nhân dân tỉnh thống nhất "
        "quản lý nhà nước về chất lượng sản phẩm, hàng hóa;</li>"
        "<li>Các sở quản lý ngành chịu trách nhiệm đối với sản phẩm, hàng hóa thuộc lĩnh vực được "
        "giao;</li>"
        "<li>Ủy ban nhân dân cấp xã quản lý chất lượng hàng hóa lưu thông tại chợ, cơ sở kinh "
        "doanh nhỏ lẻ trên địa bàn;</li>"
        "<li>Kế hoạch kiểm tra hằng năm được thống nhất giữa các cơ quan để tránh trùng lặp.</li>"
        "</ul>"
    ),
    "changes": (
        "<p><b>Sửa đổi:</b> chuyển nhiệm vụ của cấp huyện sang Ủy ban nhân dân cấp xã và các sở "
        "quản lý ngành. <b>Bổ sung:</b> cơ chế chia sẻ dữ liệu kiểm tra giữa các cơ quan.</p>"
    ),
    "contentious_issues": (
        "<p>Năng lực của Ủy ban nhân dân cấp xã trong kiểm tra chất lượng hàng hóa, nhất là về "
        "nhân lực và thiết bị thử nghiệm nhanh.</p>"
    ),
    "other_content": "",
    "articles": [
        (
            "Điều 1",
            "Phạm vi điều chỉnh",
            "<p>Quy định này quy định phân công, phối hợp quản lý nhà nước về chất lượng sản "
            "phẩm, hàng hóa trên địa bàn tỉnh Hưng Yên.</p>",
        ),
        (
            "Điều 2",
            "Đối tượng áp dụng",
            "<p>Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường và tổ chức, cá nhân có "
            "liên quan.</p>",
        ),
        (
            "Điều 3",
            "Nguyên tắc phối hợp",
            "<p>Phối hợp trên cơ sở chức năng, nhiệm vụ được giao; một việc chỉ giao một cơ quan "
            "chủ trì; bảo đảm không chồng chéo, không gây phiền hà cho doanh nghiệp.</p>",
        ),
        (
            "Điều 4",
            "Trách nhiệm của Sở Khoa học và Công nghệ",
            "<p>Chủ trì tham mưu Ủy ban nhân dân tỉnh thống nhất quản lý nhà nước về chất lượng "
            "sản phẩm, hàng hóa; tổng hợp kế hoạch kiểm tra hằng năm; báo cáo Ủy ban nhân dân tỉnh "
            "và Bộ Khoa học và Công nghệ.</p>",
        ),
        (
            "Điều 5",
            "Trách nhiệm của các sở quản lý ngành",
            "<p>Quản lý chất lượng sản phẩm, hàng hóa thuộc lĩnh vực được giao; gửi kế hoạch kiểm "
            "tra về Sở Khoa học và Công nghệ trước ngày 15 tháng 12 hằng năm.</p>",
        ),
        (
            "Điều 6",
            "Trách nhiệm của Ủy ban nhân dân các xã, phường",
            "<p>Quản lý chất lượng hàng hóa lưu thông tại chợ, cơ sở kinh doanh nhỏ lẻ trên địa "
            "bàn; phối hợp với các sở trong kiểm tra, xử lý vi phạm.</p>",
        ),
        (
            "Điều 7",
            "Điều khoản thi hành",
            "<p>Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị và tổ "
            "chức, cá nhân có liên quan chịu trách nhiệm thi hành.</p>",
        ),
    ],
    "consultations": [],
}
