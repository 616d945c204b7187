"""Demo answers of the drafting unit (tiếp thu, giải trình), fictitious.

Each names its comment by round (as in ``comments.py``) and the commenter's email.
The drafting editor writes them; the moderator publishes those marked ``published``.
The campaign comments and the closed round's comments are left unanswered, for the
moderator to try.
"""

from .comments import STARTUPS_FIRST, TECHNOLOGY

ANSWERS = [
    # The startups draft's first round; ``implemented_in`` is the number of the article
    # of the revised text that carries the answer out ("What changed and why").
    {
        "round": STARTUPS_FIRST,
        "email": "huy.pham@example.vn",
        "disposition": "accepted",
        "published": True,
        "implemented_in": "Điều 6",
        "text": (
            "Tiếp thu. Dự thảo đã chỉnh lý giảm thời gian duy trì hoạt động trên địa bàn tỉnh "
            "từ 03 năm xuống 02 năm kể từ ngày nhận hỗ trợ."
        ),
    },
    {
        "round": STARTUPS_FIRST,
        "email": "lienhe@nongnghiepxanh.example.vn",
        "disposition": "explained",
        "published": True,
        "text": (
            "Giữ nguyên mức tối đa 200 triệu đồng cho một dự án: dự án cần vốn lớn hơn được "
            "giới thiệu tới Quỹ phát triển khoa học và công nghệ của tỉnh."
        ),
    },
    {
        "round": STARTUPS_FIRST,
        "email": "vanphong@tinhdoan-hungyen.example.vn",
        "disposition": "partly_accepted",
        "published": True,
        "implemented_in": "Điều 5",
        "text": (
            "Tiếp thu một phần. Bổ sung hỗ trợ đào tạo, huấn luyện khởi nghiệp qua cơ sở ươm "
            "tạo; bỏ hỗ trợ thuê gian hàng, việc kết nối thị trường được thực hiện qua chương "
            "trình xúc tiến thương mại của tỉnh."
        ),
    },
    {
        "round": STARTUPS_FIRST,
        "email": "trang.do@example.vn",
        "disposition": "partly_accepted",
        "published": True,
        "implemented_in": "Điều 4",
        "text": (
            "Tiếp thu một phần. Giữ tỷ lệ 50% do khả năng cân đối ngân sách của tỉnh, nâng mức "
            "tối đa lên 700 triệu đồng cho một cơ sở."
        ),
    },
    {
        "round": TECHNOLOGY,
        "email": "mai.tran@cokhi-phohien.example.vn",
        "disposition": "partly_accepted",
        "published": True,
        "text": (
            "Tiếp thu một phần. Dự thảo được chỉnh sửa tại Điều 5: chấp nhận hợp đồng mua "
            "máy móc, thiết bị có kèm chuyển giao bí quyết công nghệ, với điều kiện hợp đồng "
            "ghi rõ nội dung bí quyết được chuyển giao. Giữ yêu cầu đăng ký chuyển giao công "
            "nghệ đối với các hợp đồng thuộc diện phải đăng ký theo Luật Chuyển giao công nghệ."
        ),
    },
    {
        "round": TECHNOLOGY,
        "email": "binh.nv@example.vn",
        "disposition": "accepted",
        "published": False,
        "text": (
            "Tiếp thu. Bổ sung vào dự thảo quy định Sở Khoa học và Công nghệ công khai danh sách "
            "doanh nghiệp được hỗ trợ và mức hỗ trợ trên Cổng thông tin điện tử của Sở."
        ),
    },
]
