"""Several app servers: receipt codes without a request-long lock, rate limits counted in a
shared cache across worker processes, and the check that warns of a per-process cache.
The demo portal's production settings: its own deployment checks pass, security headers
(a strict Content-Security-Policy on public pages), error pages, logging to stderr.
"""

import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core import checks
from django.db import connection, transaction
from django.test import override_settings
from wagtail.test.utils import WagtailTestUtils

from tests import factories
from wagtail_policycomms.models import ReceiptCounter

ROOT = Path(__file__).resolve().parent.parent
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL takes receipt numbers from a sequence"
)


def number(code):
    return int(code.rsplit("-", 1)[1])


def _drop_receipt_sequences():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE %s",
                [ReceiptCounter.SEQUENCE_NAME.replace("%d", "%")],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP SEQUENCE IF EXISTS {connection.ops.quote_name(name)}")


@pytest.fixture
def drop_receipt_sequences():
    """Sequences are not rolled back with a test: drop those an earlier committing test
    left (whichever ran before on this test process) and those this test created."""
    _drop_receipt_sequences()
    yield
    _drop_receipt_sequences()


# --- Receipt codes ------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(POLICYCOMMS_TIME_ZONE="Asia/Ho_Chi_Minh")
def test_receipt_codes_follow_the_department_s_new_year():
    """00:00 on 1 January in Hà Nội is 17:00 UTC on 31 December; each year starts at 1."""
    last_of_2025 = datetime(2025, 12, 31, 16, 59, 59, tzinfo=UTC)
    first_of_2026 = datetime(2025, 12, 31, 17, 0, 0, tzinfo=UTC)

    assert ReceiptCounter.next_code(last_of_2025) == "GY-2025-000001"
    assert ReceiptCounter.next_code(first_of_2026) == "GY-2026-000001"
    assert ReceiptCounter.next_code(first_of_2026) == "GY-2026-000002"
    assert ReceiptCounter.next_code(last_of_2025) == "GY-2025-000002"


@pytest.mark.django_db
def test_numbers_continue_after_the_counter_of_codes_already_issued():
    """Codes issued before the sequence existed (the counter row) are never issued again."""
    ReceiptCounter.objects.create(year=2024, last_number=41)
    moment = datetime(2024, 6, 1, 3, 0, tzinfo=UTC)

    assert [ReceiptCounter.next_code(moment) for __ in range(2)] == [
        "GY-2024-000042",
        "GY-2024-000043",
    ]
    counter = ReceiptCounter.objects.get(year=2024)
    if connection.vendor == "postgresql":
        assert counter.last_number == 41  # the row is neither updated nor locked
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass(%s) IS NOT NULL", ["wagtail_policycomms_receipt_2024"]
            )
            assert cursor.fetchone() == (True,)
    else:
        assert counter.last_number == 43


@pytest.mark.django_db
def test_a_rolled_back_receipt_number():
    """PostgreSQL never hands a number out twice (a gap instead); the counter row of
    other databases gives back the number of a comment that was never stored."""
    first = ReceiptCounter.next_code()
    with pytest.raises(RuntimeError), transaction.atomic():
        refused = ReceiptCounter.next_code()
        raise RuntimeError("the comment was refused")
    after = ReceiptCounter.next_code()

    assert (number(first), number(refused)) == (1, 2)
    if connection.vendor == "postgresql":
        assert number(after) == 3
    else:
        assert after == refused


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_get_distinct_codes(drop_receipt_sequences):
    """Threads with their own connections, each number in its own transaction."""
    threads, per_thread = 8, 15
    start = threading.Barrier(threads)
    codes, errors = [], []

    def submit():
        try:
            start.wait()
            for __ in range(per_thread):
                with transaction.atomic():
                    codes.append(ReceiptCounter.next_code())
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=submit) for __ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert len(codes) == len(set(codes)) == threads * per_thread
    assert all(re.fullmatch(r"GY-\d{4}-\d{6}", code) for code in codes)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submission_is_not_held_up_by_another_that_has_not_committed(drop_receipt_sequences):
    """The old counter row stayed locked until the first comment committed; a sequence
    takes no lock. Should it ever wait, the database's lock_timeout fails this test.

    The year's sequence exists already: the year's very first receipt creates it in its
    own transaction, and a submission at that moment waits for it once a year.
    """
    with transaction.atomic():
        assert number(ReceiptCounter.next_code()) == 1
    taken, release = threading.Event(), threading.Event()
    first, errors = [], []

    def slow_submission():
        try:
            with transaction.atomic():
                first.append(ReceiptCounter.next_code())
                taken.set()
                release.wait()
        except Exception as error:
            errors.append(error)
            taken.set()
        finally:
            connection.close()

    worker = threading.Thread(target=slow_submission)
    worker.start()
    try:
        taken.wait()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '20s'")
            second = ReceiptCounter.next_code()
    finally:
        release.set()
        worker.join()

    assert errors == []
    assert (number(first[0]), number(second)) == (2, 3)


# --- The system check ---------------------------------------------------------------

REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://h:6379"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def check_ids():
    return [message.id for message in checks.run_checks(include_deployment_checks=True)]


@pytest.mark.parametrize("cache", [LOCMEM, DUMMY], ids=["locmem", "dummy"])
def test_production_with_a_per_process_rate_limit_cache_is_warned(cache):
    with override_settings(DEBUG=False, CACHES={"default": cache}):
        assert "wagtail_policycomms.W001" in check_ids()


@pytest.mark.parametrize(
    "overrides",
    [
        {"DEBUG": False, "CACHES": {"default": REDIS}},
        {"DEBUG": True, "CACHES": {"default": LOCMEM}},
        {  # the rate limits count in their own, shared cache
            "DEBUG": False,
            "CACHES": {"default": LOCMEM, "limits": REDIS},
            "POLICYCOMMS_RATE_LIMIT_CACHE": "limits",
        },
    ],
    ids=["redis", "debug", "own-alias"],
)
def test_a_shared_rate_limit_cache_or_debug_is_not_warned(overrides):
    with override_settings(**overrides):
        assert "wagtail_policycomms.W001" not in check_ids()


def test_the_rate_limit_cache_alias_is_the_one_checked():
    caches = {"default": REDIS, "limits": LOCMEM}
    with override_settings(DEBUG=False, CACHES=caches, POLICYCOMMS_RATE_LIMIT_CACHE="limits"):
        warnings = [m for m in checks.run_checks() if m.id == "wagtail_policycomms.W001"]
    assert len(warnings) == 1
    assert '"limits"' in warnings[0].msg


# --- Rate limits across worker processes ----------------------------------------------

WORKER = """
import json, os, sys
from datetime import UTC, datetime
import django
django.setup()
from django.test import override_settings
from wagtail_policycomms import antispam

print("ready", flush=True)
sys.stdin.readline()  # both processes start together
accepted = refused = 0
now = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)  # one window, whatever the clock says
with override_settings(POLICYCOMMS_RATE_LIMIT_IP="10/h"):
    for __ in range(int(sys.argv[1])):
        try:
            antispam.check_rate_limits("203.0.113.7", "", now=now)
        except antispam.RateLimited:
            refused += 1
        else:
            accepted += 1
print(json.dumps({"accepted": accepted, "refused": refused}), flush=True)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    """A throwaway redis-server on a free loopback port, no persistence, stopped after."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    import redis

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own arguments)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    try:
        for attempt in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or attempt == 99:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        server.terminate()
        server.wait()


def run_workers(env, workers=2, attempts=8):
    """Start the worker processes, let them go at once, and return their tallies."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "example_site")])
    processes = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", WORKER, str(attempts)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for __ in range(workers)
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, __ = process.communicate()
        assert process.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_a_rate_limit_holds_across_two_worker_processes(redis_url):
    """10 per hour from one address: 10 accepted in all, wherever the posts land."""
    env = {**os.environ, "POLICYCOMMS_TEST_REDIS_URL": redis_url}
    results = run_workers(env)

    assert sum(result["accepted"] for result in results) == 10
    assert sum(result["refused"] for result in results) == 6


def test_a_per_process_cache_lets_each_worker_count_on_its_own():
    """Why check W001 exists: each process's local memory lets through its own 10."""
    env = {key: value for key, value in os.environ.items() if key != "POLICYCOMMS_TEST_REDIS_URL"}
    results = run_workers(env, attempts=12)

    assert [result["accepted"] for result in results] == [10, 10]


# --- The demo portal's production settings -------------------------------------------------

MANAGE = ROOT / "example_site" / "manage.py"
STRICT_PAGES = ["home", "index", "draft", "consultation", "refused", "receipt", "not-found"]


def production_env(tmp_path, **overrides):
    """The variables production.py needs, as docs/deployment.md lists them. Nothing is
    contacted: `check` reads the cache's backend, not the Redis server."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "ATTACHMENTS_S3_BUCKET")
        and not key.startswith(("SECURE_", "CSP_", "WHITENOISE", "LOG_LEVEL"))
    }
    env.update(
        SECRET_KEY="production-check-" + "k3y-" * 12,
        ALLOWED_HOSTS="gopy.example.vn",
        CSRF_TRUSTED_ORIGINS="https://gopy.example.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_manage(env, *args):
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(MANAGE), *args, "--settings=portal.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def deploy_check(env):
    return run_manage(env, "check", "--deploy", "--fail-level", "WARNING")


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        # A proxy that terminates TLS, redirects to HTTPS and sends HSTS itself.
        {
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
        },
    ],
    ids=["django-does-https", "a-proxy-does-https"],
)
def test_the_production_settings_pass_their_own_deployment_checks(tmp_path, overrides):
    result = deploy_check(production_env(tmp_path, **overrides))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_fails_without_a_shared_cache(tmp_path):
    """The check of the test above can fail: without REDIS_URL, W001 at --fail-level WARNING."""
    result = deploy_check(production_env(tmp_path, REDIS_URL=None))

    assert result.returncode == 1
    assert "wagtail_policycomms.W001" in result.stderr


SERVE_WITHOUT_A_DATABASE = """
import logging
import django
django.setup()
from django.test import Client

response = Client(raise_request_exception=False).get("/", secure=True, HTTP_HOST="gopy.example.vn")
print("STATUS", response.status_code)
print("BODY", response.content.decode())
print("CSP", response.get("Content-Security-Policy"))
logging.getLogger("wagtail_policycomms.tasks").warning("receipt email to comment 7 not sent")
logging.getLogger("django_tasks_db").error("task 12 failed")
"""


def test_the_database_down_gives_the_500_page_and_errors_are_logged_to_stderr(tmp_path):
    """The database file cannot be opened: Wagtail's page lookup fails, Django renders
    500.html with an empty context, and django.request logs the error to stderr, as
    the package's email failures and the tasks worker's errors are."""
    env = production_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-folder' / 'portal.sqlite3'}",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        WHITENOISE="false",
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SERVE_WITHOUT_A_DATABASE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert "STATUS 500" in result.stdout
    assert "Hệ thống đang gặp sự cố" in result.stdout
    assert "unsafe-inline" not in result.stdout.split("CSP", 1)[1]
    assert "ERROR django.request" in result.stderr
    assert "Internal Server Error: /" in result.stderr
    assert "OperationalError" in result.stderr  # the traceback, not only a line
    assert "WARNING wagtail_policycomms.tasks" in result.stderr
    assert "receipt email to comment 7 not sent" in result.stderr
    assert "ERROR django_tasks_db" in result.stderr and "task 12 failed" in result.stderr


def test_the_500_page_renders_with_an_empty_context_and_no_database(rf):
    """Django's own handler: no request context, no context processors. The test has
    no database access (no django_db mark): a query would fail it."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Hệ thống đang gặp sự cố</h1>" in html
    assert html.index("Hệ thống đang gặp sự cố") < html.index('lang="en"')  # Vietnamese first
    assert 'href="/static/portal/portal.css"' in html
    assert "<style" not in html


@pytest.mark.django_db
def test_the_404_page_is_the_portal_s(client, home):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    soup = WagtailTestUtils.get_soup(response.content)
    assert soup.find("h1").get_text() == "Không tìm thấy trang"
    assert soup.select_one("header.site-header")  # the portal's base template
    assert soup.find("a", href="/")


# --- Security headers ---------------------------------------------------------------------


@pytest.fixture
def production(monkeypatch, settings):
    """The production settings' middleware and security headers, on the test client.
    (HTTPS redirects stay off: the test client speaks plain HTTP unless asked.)"""
    monkeypatch.setenv("SECRET_KEY", "production-headers-" + "k3y-" * 12)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "CSP_FRAME_SRC", "CSP_IMG_SRC"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("portal.settings.production", None)
    module = importlib.import_module("portal.settings.production")
    sys.modules.pop("portal.settings.production", None)
    settings.MIDDLEWARE = [m for m in module.MIDDLEWARE if not m.startswith("whitenoise")]
    for name in (
        "SECURE_CSP",
        "PORTAL_ADMIN_CSP",
        "PORTAL_ADMIN_PATHS",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ):
        setattr(settings, name, getattr(module, name))
    settings.SECURE_SSL_REDIRECT = False
    return module


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def inline_code(html):
    """What a policy without 'unsafe-inline' blocks: inline scripts, <style> elements,
    style="" and on…="" attributes, javascript: links."""
    soup = WagtailTestUtils.get_soup(html)
    found = []
    for tag in soup.find_all(True):
        data_only = tag.get("type") in ("application/json", "application/ld+json")
        if (tag.name == "script" and not tag.get("src") and not data_only) or tag.name == "style":
            found.append(str(tag)[:120])
        for attribute, value in tag.attrs.items():
            if attribute == "style" or attribute.startswith("on"):
                found.append(f"<{tag.name} {attribute}=…>")
            if attribute in ("href", "src", "action") and str(value).strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"<{tag.name} {attribute}={value}>")
    return found


@pytest.fixture
def public_page(client, send, home, index, draft, consultation):
    """Every kind of public page, by name."""
    factories.make_comment(consultation, body="Một góp ý đã được duyệt và công bố.")

    def get(name):
        if name == "refused":
            return send(consent=None)  # the form again, with its errors and the text
        if name == "receipt":
            return client.get(send()["Location"])
        if name == "not-found":
            return client.get("/khong-co-trang-nay/")
        page = {"home": home, "index": index, "draft": draft, "consultation": consultation}
        return client.get(page[name].url)

    return get


@pytest.mark.django_db
@pytest.mark.parametrize("name", STRICT_PAGES)
def test_public_pages_have_a_strict_policy_and_nothing_it_would_block(
    production, public_page, name
):
    response = public_page(name)

    assert response.status_code in (200, 404)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert inline_code(response.content) == []
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_hsts_is_sent_over_https(production, client, home):
    response = client.get(home.url, secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(production, client, home, settings):
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT

    response = client.get(home.url)

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{home.url}"


@pytest.mark.django_db
def test_the_admin_has_its_own_policy(production, editor_client):
    response = editor_client.get("/admin/")

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'", "'unsafe-eval'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the page preview is a frame of the admin
    assert policy["object-src"] == ["'none'"]


def test_the_portal_s_policy_is_built_as_django_6_builds_it():
    """On Django 6 Django's middleware writes SECURE_CSP; ours writes the same text."""
    from portal.middleware import build_policy

    config = {"default-src": ["'self'"], "img-src": ["'self'", "data:"], "report-uri": None}
    assert build_policy(config) == "default-src 'self'; img-src 'self' data:"
    csp = pytest.importorskip("django.utils.csp")
    assert csp.build_policy(config) == build_policy(config)
