"""Generated comments for the campaign tests and measurements (deterministic by seed).

Five campaign templates, variants of them ("2–3 words swapped, a name and a sentence
appended", issue 15) and distinct comments on the same subject, built from one shared
vocabulary and a shared pool of sentences, so that distinct comments share phrases with
each other and with the templates, as real comments on one draft do.
"""

import random

_SUBJECT_TEXT = (
    "dự thảo luật quy định nghị định thông tư điều khoản doanh nghiệp khởi nghiệp "
    "sáng tạo đổi mới công nghệ vốn đầu tư thuế ưu đãi thủ tục hành chính cơ quan "
    "quản lý nhà nước người dân tổ chức cá nhân trách nhiệm quyền lợi nghĩa vụ hồ sơ "
    "thời hạn ngày làm việc chi phí giấy phép đăng ký kiểm tra thanh tra xử phạt vi "
    "phạm minh bạch công khai hiệu quả tiết kiệm hỗ trợ đào tạo nhân lực chất lượng "
    "sản phẩm dịch vụ thị trường cạnh tranh bảo vệ môi trường dữ liệu số hóa trực "
    "tuyến cổng thông tin địa phương trung ương bộ ngành ủy ban tỉnh thành phố huyện "
    "xã phường cần nên phải được không có với của cho về theo tại trong ngoài này đó "
    "rất cũng đã sẽ đang vẫn còn mới hơn nhất nhiều ít rõ ràng cụ thể đầy đủ hợp lý"
)
SUBJECT = _SUBJECT_TEXT.split()

NAMES = [
    f"{family} {middle} {given}"
    for family in ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
    for middle in ("Văn", "Thị", "Minh", "Thanh", "Đức", "Ngọc")
    for given in ("An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Mai", "Nam", "Tú")
]


def sentence(rng, low=8, high=18):
    words = rng.choices(SUBJECT, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def make_corpus(seed=15, templates=5, variants=3000, distinct=7000, sentences=400):
    """``(templates, variants, distinct)``: the template texts; ``[(template index,
    text)]``; ``[text]``. Shuffle the two lists together to submit them in any order."""
    rng = random.Random(seed)
    pool = [sentence(rng) for _ in range(sentences)]
    template_texts = []
    for _ in range(templates):
        # A campaign letter: 6 to 9 sentences, some taken from the shared pool.
        parts = [
            rng.choice(pool) if rng.random() < 0.3 else sentence(rng)
            for _ in range(rng.randint(6, 9))
        ]
        template_texts.append(" ".join(parts))
    variant_texts = []
    for n in range(variants):
        index = n % templates
        words = template_texts[index].split()
        for _ in range(rng.randint(2, 3)):
            words[rng.randrange(len(words))] = rng.choice(SUBJECT)
        appended = f"{rng.choice(pool)} {rng.choice(NAMES)}"
        variant_texts.append((index, " ".join(words) + " " + appended))
    distinct_texts = []
    for _ in range(distinct):
        # 3 to 8 sentences, half of them from the shared pool: common phrasing.
        parts = [
            rng.choice(pool) if rng.random() < 0.5 else sentence(rng)
            for _ in range(rng.randint(3, 8))
        ]
        distinct_texts.append(" ".join(parts))
    return template_texts, variant_texts, distinct_texts
