"""Generated data at national scale, loaded with SQL (``INSERT ... SELECT generate_series``).

The pages are real: a home page, a policy index, 50 draft policies each with one open
consultation, created through Wagtail's page API with the package's page models. The
comments, answers and form-builder submissions are inserted by set-based SQL, every
NOT NULL column filled (columns this file does not know get their model default, so a
field added to the models later does not break the load). The load is kept in the
database and reused by the next run of the same size (``bench_state``); ``--fresh``
rebuilds it.

Shape (N comments):
- consultation 0 ("big"): 30% of N, of which an identical-text campaign of 20% of N
  (one duplicate group: same ``text_hash``, distinct emails and receipt codes);
- consultation 1 ("synthesis"): one article with a section of SECTION_SIZE distinct
  approved comments (5,000; fewer in the smoke size);
- the rest over the other 48 consultations.
Statuses: 80% approved, 12% pending, 4% rejected, 2% spam, 2% unverified (the campaign:
90% approved, 10% pending). Answers (``CommentResponse``) on every 16th approved comment
(about 5%), half of them published.
"""

import json
import time
import unicodedata
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

SIZES = {"smoke": 2_000, "small": 20_000, "medium": 100_000, "full": 1_000_000}
#: Bump when the shape of the data changes: a stored load of another version is rebuilt.
DATA_VERSION = 1
CONSULTATIONS = 50
ARTICLES = [
    ("Điều 1", "Phạm vi điều chỉnh"),
    ("Điều 2", "Đối tượng áp dụng"),
    ("Điều 3", "Giải thích từ ngữ"),
    ("Điều 4", "Mức hỗ trợ"),
    ("Điều 5", "Tổ chức thực hiện"),
]
CAMPAIGN_TEXT = (
    "Chúng tôi, những người dân ký tên dưới đây, đề nghị giữ nguyên mức hỗ trợ học phí "
    "cho con em gia đình chính sách như quy định hiện hành và không tăng thêm thủ tục hành chính."
)
SEARCH_TERM = "học phí"  # in 1% of the distinct comments (and the campaign text)
MODERATOR = "bench-moderator"
SUPERUSER = "bench-admin"
PASSWORD = "bench-password"  # noqa: S105 (a local, throw-away database)


def section_size(n):
    return min(5_000, n // 4)


def nfc(text):
    return unicodedata.normalize("NFC", text)


# --- bench_state: what is loaded -----------------------------------------------------------


def _ensure_state_table():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_state (k text PRIMARY KEY, v jsonb)")


def read_state():
    _ensure_state_table()
    with connection.cursor() as cursor:
        cursor.execute("SELECT v FROM bench_state WHERE k = 'load'")
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])


def write_state(state):
    _ensure_state_table()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_state (k, v) VALUES ('load', %s::jsonb) "
            "ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v",
            [json.dumps(state)],
        )


def reset_schema():
    """Empty the benchmark database: its public schema is dropped and made again."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()


# --- SQL helpers ---------------------------------------------------------------------------


def _is_not_provided(field):
    from django.db.models.fields import NOT_PROVIDED

    return field.db_default is NOT_PROVIDED


# --- Pages and people ----------------------------------------------------------------------


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _article_blocks():
    return [
        {
            "type": "article",
            "id": f"art-{i}",
            "value": {
                "number": number,
                "heading": heading,
                "body": "<p>Nội dung điều của dự thảo, đủ dài để giống một điều thật.</p>",
            },
        }
        for i, (number, heading) in enumerate(ARTICLES, start=1)
    ]


def make_pages(log):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page, Site

    from bench.baselines.models import BenchFormField, BenchFormPage
    from home.models import HomePage
    from wagtail_policycomms.models import ConsultationPage, DraftPolicyPage, PolicyIndexPage, Unit
    from wagtail_policycomms.permissions import MODERATORS, setup_groups

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trang chủ", slug="bench-home"))
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    drafting = Unit.objects.create(
        name="Văn phòng Sở (bench)",
        address="Số 1 Đường Chùa Chuông, Hưng Yên",
        email="vanphong@example.vn",
    )
    receiving = Unit.objects.create(
        name="Trung tâm Thông tin (bench)",
        address="Số 2 Đường Chùa Chuông, Hưng Yên",
        email="ttth@example.vn",
    )
    index = _publish(home, PolicyIndexPage(title="Dự thảo chính sách", slug="du-thao"))
    now = timezone.now()
    consultations = []
    for i in range(CONSULTATIONS):
        draft = _publish(
            index,
            DraftPolicyPage(
                title=f"Dự thảo Nghị quyết số {i + 1}/2026 (bench)",
                slug=f"du-thao-{i + 1}",
                drafting_unit=drafting,
                body=_article_blocks(),
            ),
        )
        consultation = _publish(
            draft,
            ConsultationPage(
                title=f"Lấy ý kiến đợt 1 – dự thảo {i + 1}",
                slug=f"lay-y-kien-{i + 1}",
                opens_at=now - timedelta(days=5),
                closes_at=now + timedelta(days=60),
                receiving_unit=receiving,
            ),
        )
        consultations.append(consultation.pk)
    form_page = BenchFormPage(title="Góp ý (form builder)", slug="bench-form")
    form_page.form_fields = [
        BenchFormField(
            label="commenter type",
            field_type="dropdown",
            required=True,
            choices="individual\norganisation\nbusiness\nagency",
        ),
        BenchFormField(label="display name", field_type="singleline", required=False),
        BenchFormField(label="organisation name", field_type="singleline", required=False),
        BenchFormField(label="email", field_type="email", required=False),
        BenchFormField(label="phone", field_type="singleline", required=False),
        BenchFormField(label="address", field_type="singleline", required=False),
        BenchFormField(label="body", field_type="multiline", required=True),
        BenchFormField(label="publish name", field_type="checkbox", required=False),
        BenchFormField(label="consent", field_type="checkbox", required=True),
    ]
    form_page = _publish(home, form_page)

    setup_groups()
    user_model = get_user_model()
    moderator = user_model.objects.create_user(MODERATOR, f"{MODERATOR}@example.vn", PASSWORD)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    user_model.objects.create_superuser(SUPERUSER, f"{SUPERUSER}@example.vn", PASSWORD)
    log(f"  pages: home, index, {CONSULTATIONS} drafts and consultations, form page")
    return {
        "home": home.pk,
        "index": index.pk,
        "consultations": consultations,
        "form_page": form_page.pk,
        "unit": drafting.pk,
        "form_fields": [f.clean_name for f in form_page.form_fields.all()],
    }


# --- Comments, answers, form submissions ---------------------------------------------------


def _comment_source(n, pages):
    """The per-row values as a subquery ``s`` over ``generate_series``."""
    from wagtail_policycomms.models.comments import text_hash

    big = round(n * 0.3)
    campaign = round(n * 0.2)
    section = section_size(n)
    consultations = pages["consultations"]
    distinct_body = (
        "'ý kiến số ' || g || ': đề nghị ban soạn thảo làm rõ phạm vi điều chỉnh của dự thảo "
        "đối với ' || (ARRAY['doanh nghiệp nhỏ và vừa', 'hộ kinh doanh cá thể', 'hợp tác xã', "
        "'người lao động tự do', 'cơ sở giáo dục'])[1 + mod(g, 5)] || ', đồng thời bổ sung quy "
        "định chuyển tiếp' || CASE WHEN mod(g, 100) = 7 THEN ' về " + SEARCH_TERM + "' ELSE '' "
        "END || '.' || repeat(' cần đánh giá tác động kỹ hơn trước khi ban hành.', mod(g, 4))"
    )
    headings = ", ".join(f"'{number}. {heading}'" for number, heading in ARTICLES)
    sql = f"""
        SELECT g, st, cid, body, art,
               CASE WHEN art = '' THEN '' ELSE (ARRAY[{headings}])[substr(art, 5)::int] END AS heading,
               CASE WHEN g <= %(campaign)s THEN %(campaign_hash)s
                    ELSE encode(sha256(convert_to(body, 'UTF8')), 'hex') END AS hash,
               %(now)s::timestamptz - (g::float8 / %(n)s) * interval '4 days' AS at
        FROM (
            SELECT g,
                CASE WHEN g <= %(campaign)s THEN
                        CASE WHEN mod(g, 10) = 0 THEN 'pending' ELSE 'approved' END
                     WHEN g > %(big)s AND g <= %(big)s + %(section)s THEN 'approved'
                     WHEN mod(g, 50) < 6 THEN 'pending'
                     WHEN mod(g, 50) < 8 THEN 'rejected'
                     WHEN mod(g, 50) = 8 THEN 'spam'
                     WHEN mod(g, 50) = 9 THEN 'unverified'
                     ELSE 'approved' END AS st,
                CASE WHEN g <= %(big)s THEN %(c0)s
                     WHEN g <= %(big)s + %(section)s THEN %(c1)s
                     ELSE (%(rest)s::int[])[1 + mod(g, %(nrest)s)] END AS cid,
                CASE WHEN g <= %(campaign)s THEN %(campaign_text)s ELSE {distinct_body} END AS body,
                CASE WHEN g <= %(campaign)s THEN ''
                     WHEN g > %(big)s AND g <= %(big)s + %(section)s THEN 'art-1'
                     WHEN mod(g, 3) = 0 THEN ''
                     ELSE 'art-' || (1 + mod(g, 5)) END AS art
            FROM generate_series(1, %(n)s) AS g
        ) t
    """
    params = {
        "n": n,
        "big": big,
        "campaign": campaign,
        "section": section,
        "c0": consultations[0],
        "c1": consultations[1],
        "rest": consultations[2:],
        "nrest": len(consultations) - 2,
        "campaign_text": nfc(CAMPAIGN_TEXT),
        "campaign_hash": text_hash(CAMPAIGN_TEXT),
        "now": timezone.now(),
    }
    return sql, params


def load_comments(n, pages):
    from wagtail_policycomms.models import PublicComment

    source, params = _comment_source(n, pages)
    known = {
        "consultation_id": "s.cid",
        "article_id": "s.art",
        "article_heading": "s.heading",
        "commenter_type": "CASE mod(s.g, 10) WHEN 0 THEN 'organisation' WHEN 1 THEN 'business' "
        "WHEN 2 THEN 'agency' ELSE 'individual' END",
        "display_name": "'Người góp ý ' || s.g",
        "organisation_name": "CASE WHEN mod(s.g, 10) < 3 THEN 'Công ty TNHH số ' || s.g ELSE '' END",
        "email": "'nguoi' || s.g || '@example.vn'",
        "phone": "'09' || lpad(mod(s.g, 100000000)::text, 8, '0')",
        "address": "'Số ' || mod(s.g, 200) || ' phố Hiến, Hưng Yên'",
        "body": "s.body",
        "publish_name": "mod(s.g, 2) = 0",
        "consent_given_at": "s.at",
        "consent_notice_version": "'2026-01'",
        "consent_purposes": "'[\"receive_and_answer_comment\"]'::jsonb",
        "status": "s.st",
        "status_changed_at": "CASE WHEN s.st = 'pending' THEN NULL ELSE s.at END",
        "verified_at": "NULL",
        "receipt_code": "'GY-BENCH-' || lpad(s.g::text, 8, '0')",
        "submitted_at": "s.at",
        "text_hash": "s.hash",
        "ip_address": "'203.0.113.0/24'",
        "user_agent": "'Mozilla/5.0 (X11; Linux x86_64) bench'",
        "moderation_reason": "CASE WHEN s.st = 'rejected' THEN 'off_topic' ELSE '' END",
        "moderation_note": "''",
        "moderated_at": "CASE WHEN s.st IN ('approved', 'rejected', 'spam') THEN s.at END",
    }
    # psycopg's named placeholders: turn the %s of the default columns into named ones.
    return _insert_named(PublicComment, known, source, params)


def _insert_named(model, known, source, params):
    columns, exprs, values = [], [], dict(params)
    for field in model._meta.concrete_fields:
        column = field.column
        if column in known:
            columns.append(column)
            exprs.append(known[column])
            continue
        if field.primary_key or field.null or not _is_not_provided(field):
            continue
        if not field.has_default() and not field.blank:
            raise RuntimeError(
                f"bench/data.py does not know how to fill {model._meta.db_table}.{column} "
                "(NOT NULL, no default): add it to the generator"
            )
        name = f"default_{column}"
        values[name] = field.get_db_prep_save(field.get_default(), connection)
        columns.append(column)
        exprs.append(f"%({name})s")
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(exprs)} FROM ({source}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.rowcount


def load_answers(pages):
    """An answer on every 16th approved comment (about 5% of all), half published."""
    from wagtail_policycomms.models import CommentResponse, PublicComment

    comments = PublicComment._meta.db_table
    source = f"""
        SELECT consultation_id AS cid, row_number() OVER (ORDER BY id) AS rn
        FROM "{comments}" WHERE status = 'approved' AND mod(id, 16) = 0
    """
    known = {
        "consultation_id": "s.cid",
        "disposition": "(ARRAY['accepted', 'partly_accepted', 'explained', 'not_applicable'])"
        "[1 + mod(s.rn, 4)]",
        "text": "'Tiếp thu, đã chỉnh sửa dự thảo theo ý kiến góp ý (trả lời số ' || s.rn || ').'",
        "answering_unit_id": "%(unit)s",
        "is_published": "mod(s.rn, 2) = 0",
        "published_at": "CASE WHEN mod(s.rn, 2) = 0 THEN now() END",
        "created_at": "now()",
        "updated_at": "now()",
    }
    count = _insert_named(CommentResponse, known, source + " ORDER BY id", {"unit": pages["unit"]})
    responses = CommentResponse._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE "{comments}" c SET response_id = r.id
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM "{responses}") r,
                 (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM "{comments}"
                  WHERE status = 'approved' AND mod(id, 16) = 0) x
            WHERE r.rn = x.rn AND c.id = x.id
            """
        )
    return count


def load_form_submissions(n, pages):
    """N form-builder submissions of the baseline form page, with the same content."""
    from wagtail.contrib.forms.models import FormSubmission

    names = pages["form_fields"]
    values = [
        "(ARRAY['individual', 'organisation', 'business', 'agency'])[1 + mod(g, 4)]",
        "'Người góp ý ' || g",
        "CASE WHEN mod(g, 10) < 3 THEN 'Công ty TNHH số ' || g ELSE '' END",
        "'nguoi' || g || '@example.vn'",
        "'09' || lpad(mod(g, 100000000)::text, 8, '0')",
        "'Số ' || mod(g, 200) || ' phố Hiến, Hưng Yên'",
        "'ý kiến số ' || g || ': đề nghị ban soạn thảo làm rõ phạm vi điều chỉnh của dự thảo.'"
        " || repeat(' cần đánh giá tác động kỹ hơn trước khi ban hành.', mod(g, 4))",
        "mod(g, 2) = 0",
        "true",
    ]
    pairs = ", ".join(f"'{name}', {value}" for name, value in zip(names, values, strict=True))
    source = f"""
        SELECT g, jsonb_build_object({pairs}) AS data,
               now() - (g::float8 / %(n)s) * interval '4 days' AS at
        FROM generate_series(1, %(n)s) AS g
    """
    known = {"form_data": "s.data", "page_id": "%(page)s", "submit_time": "s.at"}
    return _insert_named(FormSubmission, known, source, {"n": n, "page": pages["form_page"]})


def analyze():
    previous = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.set_autocommit(previous)


def check_hashes(sample=200):
    """The SQL-computed text hashes equal the model's ``text_hash()`` (a sample)."""
    from wagtail_policycomms.models import PublicComment
    from wagtail_policycomms.models.comments import text_hash

    rows = [
        *PublicComment.objects.order_by("pk").values_list("body", "text_hash")[: sample // 2],
        *PublicComment.objects.order_by("-pk").values_list("body", "text_hash")[: sample // 2],
    ]
    wrong = [body for body, stored in rows if text_hash(body) != stored]
    if wrong:
        raise RuntimeError(f"text_hash differs from the model's for {len(wrong)} of {sample}")


def ensure_data(size_name, n, *, fresh, log):
    """Load the data unless the database already holds this size; returns the state."""
    from django.core.management import call_command

    from wagtail_policycomms.models import PublicComment

    state = None if fresh else _existing_state()
    if state and state.get("n") == n and state.get("version") == DATA_VERSION:
        count = PublicComment.objects.count()
        if count == state.get("comments"):
            log(f"Reusing the loaded data: {count:,} comments ({state['size']})")
            call_command("migrate", interactive=False, verbosity=0)  # new migrations, if any
            return state
        log(f"The stored load has {count:,} comments, not {state.get('comments'):,}: rebuilding")
    if state is not None or fresh or _has_tables():
        log("Emptying the benchmark database")
        reset_schema()
    started = time.monotonic()
    log("Migrating")
    call_command("migrate", interactive=False, verbosity=0)
    from django.core.cache import caches

    if caches["default"].__class__.__name__ == "DatabaseCache":
        call_command("createcachetable", verbosity=0)
    with transaction.atomic():
        pages = make_pages(log)
    with transaction.atomic():
        t = time.monotonic()
        count = load_comments(n, pages)
        log(f"  comments: {count:,} in {time.monotonic() - t:.1f} s")
        t = time.monotonic()
        answers = load_answers(pages)
        log(f"  answers: {answers:,} in {time.monotonic() - t:.1f} s")
        t = time.monotonic()
        submissions = load_form_submissions(n, pages)
        log(f"  form-builder submissions: {submissions:,} in {time.monotonic() - t:.1f} s")
    t = time.monotonic()
    analyze()
    log(f"  VACUUM ANALYZE in {time.monotonic() - t:.1f} s")
    check_hashes()
    state = {
        "version": DATA_VERSION,
        "size": size_name,
        "n": n,
        "comments": count,
        "answers": answers,
        "section": section_size(n),
        "campaign": round(n * 0.2),
        "big": round(n * 0.3),
        "pages": pages,
        "loaded_in_s": round(time.monotonic() - started, 1),
    }
    write_state(state)
    log(f"Data loaded in {state['loaded_in_s']} s")
    return state


def _has_tables():
    return "wagtailcore_page" in connection.introspection.table_names()


def _existing_state():
    if not _has_tables():
        return None
    try:
        return read_state()
    except Exception:  # noqa: BLE001 (an unreadable state means: rebuild)
        connection.rollback() if not connection.get_autocommit() else None
        return None
