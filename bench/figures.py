"""The figures of the benchmark, each a ratio against a baseline measured in the same run.

Every figure function takes the run's context and returns ``Figure`` objects; an
exception inside one is recorded by ``run.py`` as that figure's error and the run goes
on. Requests go through Django's test client (the whole stack but the socket), except
the submissions figure (``load.py``), which runs gunicorn.
"""

import copy
import io
import os
import time
from urllib.parse import urlencode

import psycopg
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import data
from .measure import Figure, interleaved, judge, median, probe, ratio

QUEUE_LIST = "wagtailsnippets_wagtail_policycomms_publiccomment:list"


class Context:
    """What every figure needs: the load, logged-in clients, repetition counts."""

    def __init__(self, state, size_name, log):
        from django.contrib.auth import get_user_model

        self.state = state
        self.size = size_name
        self.log = log
        self.pages = state["pages"]
        users = get_user_model().objects
        self.moderator = users.get(username=data.MODERATOR)
        self.superuser = users.get(username=data.SUPERUSER)
        self.anonymous = Client(raise_request_exception=True)
        self.staff = Client(raise_request_exception=True)
        self.staff.force_login(self.moderator)
        self.admin = Client(raise_request_exception=True)
        self.admin.force_login(self.superuser)
        quick = size_name in ("smoke", "small")
        self.reps_fast = 7 if quick else 5
        self.reps_slow = 3 if size_name != "full" else 1
        self.enforce = size_name != "smoke"

    def page_url(self, pk):
        from wagtail.models import Page

        return Page.objects.get(pk=pk).url


def consume(response):
    """Read a whole response as a browser would; its size in bytes. Non-200 is an error."""
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code} for {response.request['PATH_INFO']}")
    if getattr(response, "streaming", False):
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        response.close()
        return size
    return len(response.content)


def export_url(what, state):
    if what in ("csv", "xlsx"):
        return reverse(QUEUE_LIST) + "?" + urlencode({"export": what, "status": ""})
    if what in ("formbuilder_csv", "formbuilder_xlsx"):
        fmt = what.split("_")[1]
        page = state["pages"]["form_page"]
        return reverse("wagtailforms:list_submissions", args=[page]) + f"?export={fmt}"
    raise ValueError(what)


def probe_client():
    """For ``bench.probe``: a client logged in as the user the export needs, and the state."""
    from django.contrib.auth import get_user_model

    state = data.read_state()
    what = os.environ.get("BENCH_PROBE_USER", data.MODERATOR)
    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username=what))
    return client, state


def cleanup_audit_rows():
    """Audit rows written by the benchmark's exports and moderation (the load has none)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from wagtail_policycomms.models import PublicComment

    content_type = ContentType.objects.get_for_model(PublicComment)
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{ModelLogEntry._meta.db_table}" WHERE content_type_id = %s',
            [content_type.pk],
        )


def _raw_connection():
    return psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True)


def _timed_get(client, url):
    return lambda: consume(client.get(url))


# --- 1. The public consultation page -----------------------------------------------------


def public_page(ctx):
    from django.conf import settings as dj_settings

    from wagtail_policycomms.models import PublicComment

    big = ctx.pages["consultations"][0]
    small = ctx.pages["consultations"][2]
    url = ctx.page_url(big)
    published = PublicComment.objects.filter(consultation_id=big, status="approved").count()
    page_size = getattr(dj_settings, "POLICYCOMMS_COMMENTS_PAGE_SIZE", 20)
    pages = max(1, -(-published // page_size))
    deep = max(1, pages * 9 // 10)
    # Past the numbered pages the list goes on by "older comments" links: a deep page is
    # the one after the comment at that depth (the link the reader would have followed).
    from wagtail_policycomms.views.pagination import cursor_of

    after = (
        PublicComment.objects.filter(consultation_id=big, status="approved")
        .order_by("-submitted_at", "-pk")
        .only("pk", "submitted_at")[(deep - 1) * page_size - 1 if deep > 1 else 0]
    )
    deep_url = f"{url}?before={cursor_of(after)}"
    home = "/"
    times = interleaved(
        {
            "home": _timed_get(ctx.anonymous, home),
            "first": _timed_get(ctx.anonymous, url),
            "deep": _timed_get(ctx.anonymous, deep_url),
        },
        ctx.reps_fast,
    )
    counts = {}
    for name, target_url in (
        ("home", home),
        ("big_first", url),
        ("big_deep", deep_url),
        ("small_first", ctx.page_url(small)),
    ):
        consume(ctx.anonymous.get(target_url))  # warm, as the timed pages were: cached counts
        with CaptureQueriesContext(connection) as queries:
            consume(ctx.anonymous.get(target_url))
        counts[name] = len(queries)
    small_comments = PublicComment.objects.filter(consultation_id=small).count()
    big_comments = PublicComment.objects.filter(consultation_id=big).count()
    independent = counts["big_first"] == counts["small_first"]
    figures = []
    for key, name, limit in (("first", "first page", 2), ("deep", f"page {deep}", 3)):
        figure = Figure(
            key=f"public_page_{key}",
            title=f"Public consultation page, {big_comments:,} comments, {name}",
            value=median(times[key]),
            baseline=median(times["home"]),
            baseline_name="home page (no comments)",
            target=f"<= {limit}x; query count independent of the number of comments",
            details={
                "times": times[key],
                "baseline_times": times["home"],
                "queries": counts,
                "queries_small_consultation_comments": small_comments,
                "deep_page": deep,
                "pages": pages,
            },
        )
        figure.ratio = ratio(figure.value, figure.baseline)
        figures.append(judge(figure, figure.ratio <= limit, independent))
    return figures


# --- 2. The moderation queue -------------------------------------------------------------


def _raw_rerun(captured):
    """Re-run the SELECTs Django ran, raw through psycopg; returns a callable."""
    statements = [
        q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    raw = _raw_connection()

    def run():
        with raw.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run, raw, len(statements)


def queue(ctx):
    base = reverse(QUEUE_LIST)
    urls = {
        "pending": base + "?" + urlencode({"status": "pending"}),
        "search": base + "?" + urlencode({"status": "", "q": data.SEARCH_TERM}),
    }
    figures = []
    for key, url in urls.items():
        consume(ctx.staff.get(url))  # warm caches and connections
        with CaptureQueriesContext(connection) as queries:
            consume(ctx.staff.get(url))
        # Read now: every request Django serves later clears the connection's query log.
        captured = list(queries.captured_queries)
        run_raw, raw, statements = _raw_rerun(captured)
        try:
            times = interleaved({"view": _timed_get(ctx.staff, url), "raw": run_raw}, ctx.reps_fast)
        finally:
            raw.close()
        title = "pending, first page" if key == "pending" else f"search “{data.SEARCH_TERM}”"
        figure = Figure(
            key=f"queue_{key}",
            title=f"Moderation queue, {title}",
            value=median(times["view"]),
            baseline=median(times["raw"]),
            baseline_name=f"the same {statements} SELECTs raw through psycopg",
            target="<= 3x raw; median < 300 ms",
            details={
                "times": times["view"],
                "baseline_times": times["raw"],
                "queries": len(queries),
            },
        )
        figure.ratio = ratio(figure.value, figure.baseline)
        figures.append(judge(figure, figure.ratio <= 3, figure.value < 0.3))
    return figures


# --- 3. Bulk approve ---------------------------------------------------------------------


def _raw_approve(table, user, where, params, expected):
    """The baseline of the approve figures: the package's UPDATE, as one raw statement."""
    import uuid

    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET status = %s, status_changed_at = now(), moderated_at = now(), '
            "moderated_by_id = %s, moderation_reason = '', moderation_note = '', "
            f"last_action = %s WHERE {where} AND status IN ('pending', 'rejected', 'spam')",
            ["approved", user.pk, uuid.uuid4(), *params],
        )
        if cursor.rowcount != expected:
            raise RuntimeError(f"raw UPDATE changed {cursor.rowcount} of {expected}")


def bulk_approve(ctx):
    from wagtail_policycomms import moderation
    from wagtail_policycomms.models import PublicComment

    table = PublicComment._meta.db_table
    ids = list(
        PublicComment.objects.filter(status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)[:10_000]
    )
    if not ids:
        raise RuntimeError("no pending comments to approve")
    selection = PublicComment.objects.filter(pk__in=ids)
    user = ctx.moderator

    def package():
        outcome = moderation.moderate(selection, "approve", user)
        if outcome.changed != len(ids):
            raise RuntimeError(f"approved {outcome.changed} of {len(ids)}")

    def raw():
        _raw_approve(table, user, "id = ANY(%s)", [ids], len(ids))

    def restore(name):
        if name == "package":  # back through the package: its own bookkeeping stays right
            moderation.moderate(selection, "pending", user)
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE \"{table}\" SET status = 'pending', status_changed_at = NULL, "
                    "moderated_at = NULL, moderated_by_id = NULL WHERE id = ANY(%s)",
                    [ids],
                )
        cleanup_audit_rows()

    times = interleaved({"package": package, "raw": raw}, ctx.reps_slow + 2, between=restore)
    figure = Figure(
        key="bulk_approve",
        title=f"Bulk approve {len(ids):,} comments (moderation.moderate)",
        value=median(times["package"]),
        baseline=median(times["raw"]),
        baseline_name="one raw UPDATE of the same rows",
        target="<= 10x raw",
        details={"rows": len(ids), "times": times["package"], "baseline_times": times["raw"]},
    )
    figure.ratio = ratio(figure.value, figure.baseline)
    return [judge(figure, figure.ratio <= 10), group_approve(ctx)]


def group_approve(ctx):
    """Approve the whole campaign group in committed batches, against one raw UPDATE.

    The group is set back to pending (raw) before each pass. Besides the total, the
    longest batch (its UPDATE and audit rows, the time its locks are held) is recorded:
    the target is that no lock is held for minutes.
    """
    from wagtail_policycomms import moderation
    from wagtail_policycomms.conf import policycomms_settings
    from wagtail_policycomms.models import PublicComment
    from wagtail_policycomms.models.comments import text_hash

    from .data import CAMPAIGN_TEXT, nfc

    table = PublicComment._meta.db_table
    big = ctx.pages["consultations"][0]
    group = PublicComment.objects.filter(
        consultation_id=big, text_hash=text_hash(nfc(CAMPAIGN_TEXT))
    )
    size = group.count()
    if not size:
        raise RuntimeError("the campaign group is empty")
    batch_size = policycomms_settings.MODERATION_BATCH_SIZE
    user = ctx.moderator
    statuses = dict(group.values_list("pk", "status"))  # put back as loaded at the end
    batches = []

    def timed_batches(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if sql.startswith(f'UPDATE "{table}"'):
                batches.append(time.perf_counter() - started)

    def package():
        with connection.execute_wrapper(timed_batches):
            outcome = moderation.moderate(group, "approve", user, batch_size=batch_size)
        if outcome.changed != size:
            raise RuntimeError(f"approved {outcome.changed} of {size}")

    def raw():
        where = "consultation_id = %s AND text_hash = %s"
        _raw_approve(table, user, where, [big, text_hash(nfc(CAMPAIGN_TEXT))], size)

    def to_pending(_name=None):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE \"{table}\" SET status = 'pending' WHERE consultation_id = %s "
                "AND text_hash = %s",
                [big, text_hash(nfc(CAMPAIGN_TEXT))],
            )
        cleanup_audit_rows()

    to_pending()
    try:
        times = interleaved({"package": package, "raw": raw}, ctx.reps_slow + 1, between=to_pending)
    finally:
        with connection.cursor() as cursor:
            for status in {"approved", "pending"}:
                ids = [pk for pk, value in statuses.items() if value == status]
                cursor.execute(
                    f'UPDATE "{table}" SET status = %s WHERE id = ANY(%s)', [status, ids]
                )
        from wagtail_policycomms.models import counts

        counts.comments_changed([big])
    figure = Figure(
        key="group_approve",
        title=f"Approve the {size:,}-comment campaign group, {batch_size:,} a transaction",
        value=median(times["package"]),
        baseline=median(times["raw"]),
        baseline_name="one raw UPDATE of the group",
        target="<= 10x raw; batches commit, no lock for minutes",
        details={
            "rows": size,
            "batch_size": batch_size,
            "batches_per_pass": -(-size // batch_size),
            "longest_batch_update_s": round(max(batches), 3) if batches else None,
            "times": times["package"],
            "baseline_times": times["raw"],
        },
    )
    figure.ratio = ratio(figure.value, figure.baseline)
    return judge(figure, figure.ratio <= 10 and max(batches, default=0) < 60)


# --- 4-6. Exports ------------------------------------------------------------------------

COPY_SQL = """
COPY (
    SELECT c.receipt_code, cp.title AS consultation, dp.title AS draft_policy,
           c.article_heading, c.article_id, c.page_revision_id, c.commenter_type,
           concat_ws(' ', c.display_name, c.organisation_name) AS author, c.body,
           c.submitted_at, c.status, c.moderation_reason, c.moderation_note,
           u.username AS moderator, r.disposition, r.text AS answer, r.is_published,
           th.names AS themes,
           count(*) OVER (PARTITION BY c.consultation_id, c.text_hash) AS duplicate_count,
           c.email, c.phone, c.address, c.ip_address, c.user_agent, att.names AS attachments
    FROM {comments} c
    JOIN wagtailcore_page cp ON cp.id = c.consultation_id
    JOIN wagtailcore_page dp ON dp.path = substr(cp.path, 1, length(cp.path) - 4)
    LEFT JOIN auth_user u ON u.id = c.moderated_by_id
    LEFT JOIN {responses} r ON r.id = c.response_id
    LEFT JOIN (
        SELECT ct.content_object_id AS id, string_agg(t.name, ', ') AS names
        FROM {themes} ct JOIN taggit_tag t ON t.id = ct.tag_id GROUP BY 1
    ) th ON th.id = c.id
    LEFT JOIN (
        SELECT comment_id AS id, string_agg(original_name, ', ') AS names
        FROM {attachments} GROUP BY 1
    ) att ON att.id = c.id
    ORDER BY c.submitted_at DESC, c.id DESC
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def _copy_runner():
    from wagtail_policycomms.models import (
        CommentAttachment,
        CommentResponse,
        CommentTheme,
        PublicComment,
    )

    sql = COPY_SQL.format(
        comments=PublicComment._meta.db_table,
        responses=CommentResponse._meta.db_table,
        themes=CommentTheme._meta.db_table,
        attachments=CommentAttachment._meta.db_table,
    )
    raw = _raw_connection()

    def run():
        size = 0
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for block in copy:
                size += len(block)
        return size

    return run, raw


def exports(ctx):
    """CSV and XLSX of every comment, and Wagtail's form-builder exports of as many rows."""
    copy, raw = _copy_runner()
    sizes = {}

    def export(what, client):
        def run():
            sizes[what] = consume(client.get(export_url(what, ctx.state)))

        return run

    contenders = {
        "copy": copy,
        "csv": export("csv", ctx.staff),
        "xlsx": export("xlsx", ctx.staff),
        "formbuilder_csv": export("formbuilder_csv", ctx.admin),
        "formbuilder_xlsx": export("formbuilder_xlsx", ctx.admin),
    }
    errors = {}

    def guarded(name, fn):
        def run():
            if name in errors:
                return
            try:
                fn()
            except Exception as error:  # noqa: BLE001 (recorded as this figure's error)
                errors[name] = f"{type(error).__name__}: {error}"[:500]

        return run

    try:
        times = interleaved(
            {name: guarded(name, fn) for name, fn in contenders.items()},
            ctx.reps_slow,
            warmup=0,
            between=lambda name: cleanup_audit_rows(),
        )
    finally:
        raw.close()
    ctx.log("    memory probes (one export per fresh process)")
    memory, memory_errors = {}, {}
    base = probe("baseline")
    for what in ("csv", "xlsx", "formbuilder_csv", "formbuilder_xlsx"):
        if what in errors:
            continue
        user = data.SUPERUSER if what.startswith("formbuilder") else data.MODERATOR
        os.environ["BENCH_PROBE_USER"] = user
        try:
            result = probe(what)
            memory[what] = (result["hwm_kb"] - base["hwm_kb"]) / 1024
        except Exception as error:  # noqa: BLE001
            memory_errors[what] = str(error)[:500]
        finally:
            os.environ.pop("BENCH_PROBE_USER", None)
    med = {name: (None if name in errors else median(values)) for name, values in times.items()}
    n = ctx.state["comments"]
    common = {"bytes": sizes, "memory_mb": memory, "baseline_process_mb": base["hwm_kb"] / 1024}

    def make(key, title, value_key, base_key, base_name, target):
        figure = Figure(
            key=key,
            title=title,
            value=med.get(value_key),
            baseline=med.get(base_key),
            baseline_name=base_name,
            target=target,
            details={
                **common,
                "times": times.get(value_key),
                "baseline_times": times.get(base_key),
            },
        )
        figure.error = errors.get(value_key) or errors.get(base_key) or ""
        figure.ratio = ratio(figure.value, figure.baseline)
        return figure

    def le(value, limit):
        return None if value is None else value <= limit

    csv = make("export_csv", f"CSV export, all {n:,} comments", "csv", "copy",
               "PostgreSQL COPY of the same columns", "<= 5x COPY; peak memory < 200 MB")  # fmt: skip
    csv.details["memory_error"] = memory_errors.get("csv", "")
    judge(csv, le(csv.ratio, 5), le(memory.get("csv"), 200))
    xlsx = make("export_xlsx", f"XLSX export, all {n:,} comments", "xlsx", "csv",
                "our CSV export", "<= 4x the CSV; peak memory < 300 MB")  # fmt: skip
    xlsx.details["memory_error"] = memory_errors.get("xlsx", "")
    judge(xlsx, le(xlsx.ratio, 4), le(memory.get("xlsx"), 300))
    figures = [csv, xlsx]
    for ours, theirs in (("csv", "formbuilder_csv"), ("xlsx", "formbuilder_xlsx")):
        figure = make(
            f"export_{ours}_vs_formbuilder",
            f"{ours.upper()} export vs the form builder's, {n:,} rows",
            ours,
            theirs,
            f"Wagtail form-builder {ours.upper()} export of {n:,} submissions",
            "faster (< 1x); memory < half of the form builder's",
        )
        mem_ours, mem_theirs = memory.get(ours), memory.get(theirs)
        figure.details["memory_ratio"] = ratio(mem_ours, mem_theirs)
        judge(
            figure,
            le(figure.ratio, 1),
            None if mem_ours is None or mem_theirs is None else mem_ours <= mem_theirs / 2,
        )
        figures.append(figure)
    return figures


# --- 7. The synthesis report -------------------------------------------------------------


def synthesis(ctx):
    import docx
    import openpyxl
    from docx.oxml.ns import qn

    from wagtail_policycomms.models import PublicComment

    consultation = ctx.pages["consultations"][1]
    rows = list(
        PublicComment.objects.filter(consultation_id=consultation, status="approved")
        .order_by("pk")
        .values_list("display_name", "body", "receipt_code")
    )
    errors = {}

    def download(fmt):
        url = reverse(
            "wagtail_policycomms_admin:synthesis_download", args=["consultation", consultation, fmt]
        )

        def run():
            if fmt in errors:
                return
            try:
                consume(ctx.staff.get(url))
            except BaseException as error:  # noqa: BLE001 (RecursionError and the like)
                if isinstance(error, KeyboardInterrupt):
                    raise
                errors[fmt] = f"{type(error).__name__}: {error}"[:500]

        return run

    def section_rows():
        # The baselines read the same comments from the database, as the report does.
        return list(
            PublicComment.objects.filter(consultation_id=consultation, status="approved")
            .order_by("pk")
            .values_list("display_name", "body", "receipt_code")
        )

    def bare_docx():
        # python-docx's object model made linear: a header row, then one template row
        # copied per comment with its four texts set (python-docx's own add_row and
        # row.cells re-read the whole grid on every call: quadratic, 15 s for 2,000 rows).
        rows = section_rows()
        document = docx.Document()
        table = document.add_table(rows=2, cols=4)
        for cell, heading in zip(table.rows[0].cells, ("Điều", "Chủ thể", "Nội dung", "Tiếp thu"),
                                 strict=True):  # fmt: skip
            cell.text = heading
        for cell in table.rows[1].cells:
            cell.text = "-"
        template, tbl = table.rows[1]._tr, table._tbl
        for name, body, code in rows:
            tr = copy.deepcopy(template)
            texts = ("Điều 1. Phạm vi điều chỉnh", name, body, code)
            for node, text in zip(tr.iter(qn("w:t")), texts, strict=True):
                node.text = text
            tbl.append(tr)
        tbl.remove(template)
        document.save(io.BytesIO())

    def bare_xlsx():
        rows = section_rows()
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Điều", "Chủ thể", "Nội dung", "Tiếp thu"])
        for name, body, code in rows:
            sheet.append(["Điều 1. Phạm vi điều chỉnh", name, body, code])
        workbook.save(io.BytesIO())

    times = interleaved(
        {
            "docx": download("docx"),
            "bare_docx": bare_docx,
            "xlsx": download("xlsx"),
            "bare_xlsx": bare_xlsx,
        },  # fmt: skip
        ctx.reps_slow,
        warmup=0,
        between=lambda name: cleanup_audit_rows(),
    )
    figures = []
    for fmt, tool in (("docx", "python-docx"), ("xlsx", "openpyxl")):
        figure = Figure(
            key=f"synthesis_{fmt}",
            title=f"Synthesis report {fmt.upper()}, a {len(rows):,}-comment section",
            value=None if fmt in errors else median(times[fmt]),
            baseline=median(times[f"bare_{fmt}"]),
            baseline_name=f"{tool} writing a bare {len(rows):,}x4 table",
            target="<= 1.5x; never an error",
            error=errors.get(fmt, ""),
            details={"times": times[fmt], "baseline_times": times[f"bare_{fmt}"]},
        )
        figure.ratio = ratio(figure.value, figure.baseline)
        figures.append(judge(figure, None if figure.ratio is None else figure.ratio <= 1.5))
    return figures


# --- 8. Index page and dashboard ---------------------------------------------------------


def index_and_dashboard(ctx):
    index = ctx.page_url(ctx.pages["index"])
    times = interleaved(
        {
            "home": _timed_get(ctx.anonymous, "/"),
            "index": _timed_get(ctx.anonymous, index),
            "dashboard": _timed_get(ctx.staff, reverse("wagtailadmin_home")),
        },
        ctx.reps_fast,
    )
    counts = {}
    for name, client, url in (
        ("index", ctx.anonymous, index),
        ("dashboard", ctx.staff, reverse("wagtailadmin_home")),
    ):
        with CaptureQueriesContext(connection) as queries:
            consume(client.get(url))
        counts[name] = len(queries)
    figures = []
    for key, title, limit in (
        ("index", "Index page of draft policies", 2),
        ("dashboard", "Admin dashboard (moderator)", 3),
    ):
        figure = Figure(
            key=key,
            title=f"{title}, {ctx.state['comments']:,} comments",
            value=median(times[key]),
            baseline=median(times["home"]),
            baseline_name="home page (no comments)",
            target=f"<= {limit}x",
            details={"times": times[key], "baseline_times": times["home"], "queries": counts[key]},
        )
        figure.ratio = ratio(figure.value, figure.baseline)
        figures.append(judge(figure, figure.ratio <= limit))
    return figures
