"""Demo answers of the drafting unit (tiếp thu, giải trình), fictitious.

Each names its comment by round (as in ``comments.py``) and the commenter's email.
The drafting editor writes them; the moderator publishes those marked ``published``.
The campaign comments and the closed round's comments are left unanswered, for the
moderator to try.
"""

from .comments import TECHNOLOGY

ANSWERS = [
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
