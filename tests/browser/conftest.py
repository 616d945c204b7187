"""End-to-end tests in a real browser: Playwright driving Debian's Chromium, headless.

Off unless ``POLICYCOMMS_BROWSER=1``: the normal suite (``make test``) does not even
collect these modules, so it neither imports Playwright nor starts a browser. With it on,
a browser test that is skipped (or a run with no browser test passed) fails the session:
a CI job that silently skipped everything would otherwise look green. ``.ci/browser.sh``
installs what they need and runs them; ``make screenshots`` runs them with
``POLICYCOMMS_SCREENSHOTS=1``, which saves the key screens into ``docs/images/``.

Each test gets a fresh demo portal (``policycomms_demo``: units, one user per role in the
package's staff groups, drafts with open, upcoming and closed rounds, comments) behind
pytest-django's ``live_server``; the portal and the admin are in Vietnamese, the site's
language, and tests find labels through gettext (``t("Approve")``), so they follow the
catalogue rather than a copy of it.
"""

import os
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest

ENABLED = os.environ.get("POLICYCOMMS_BROWSER") == "1"
if ENABLED:
    # Playwright's sync API runs an event loop in this thread; Django would refuse database
    # access from it (SynchronousOnlyOperation) although nothing here is asynchronous. Only
    # when the browser tests run: the deployment checks of the normal suite refuse it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("POLICYCOMMS_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium's own connections (updates, sync,
# field trials) are refused on a closed network and slow every start.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 1000}  # the size of the screenshots in docs/images

if not ENABLED:
    collect_ignore_glob = ["test_*.py"]


def pytest_report_header(config):
    if not ENABLED:
        return "browser tests: off (POLICYCOMMS_BROWSER=1 runs tests/browser; see docs/testing.md)"
    from tests.browser.helpers import SCREENSHOTS

    return f"browser tests: on, {CHROMIUM}; screenshots: {'on' if SCREENSHOTS else 'off'}"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# --- A skipped browser test is a failure -------------------------------------------------------

_outcomes = {"passed": 0, "skipped": [], "failed": 0, "known_bugs": []}


def pytest_runtest_logreport(report):
    if not ENABLED or HERE not in Path(str(report.fspath)).resolve().parents:
        return
    if hasattr(report, "wasxfail"):  # a strict xfail naming a known bug, not a skip
        _outcomes["known_bugs"].append(f"{report.nodeid}: {report.wasxfail}")
    elif report.skipped:
        _outcomes["skipped"].append(report.nodeid)
    elif report.failed:
        _outcomes["failed"] += 1
    elif report.when == "call" and report.passed:
        _outcomes["passed"] += 1


def pytest_sessionfinish(session, exitstatus):
    if not ENABLED or session.config.option.collectonly or hasattr(session.config, "workerinput"):
        return  # (an xdist worker: its controller sees every report and decides)
    problem = None
    if _outcomes["skipped"]:
        problem = "browser tests were skipped: " + ", ".join(_outcomes["skipped"])
    elif not _outcomes["passed"] and not _outcomes["failed"]:
        problem = "no browser test ran"
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for line in _outcomes["known_bugs"]:
        if reporter:
            reporter.write_line(f"known bug, still failing: {line}", yellow=True)
    if problem:
        if reporter:
            reporter.write_line(f"POLICYCOMMS_BROWSER=1: {problem}", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- The browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install chromium (or set POLICYCOMMS_CHROMIUM)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=VIEWPORT,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture
def page(context, request, tmp_path):
    """A tab; when the test fails, its screenshot and HTML are kept for the person debugging
    (in ``POLICYCOMMS_BROWSER_ARTIFACTS`` if set, else the test's tmp_path)."""
    page = context.new_page()
    yield page
    if getattr(request.node, "browser_failed", False) and not page.is_closed():
        folder = Path(os.environ.get("POLICYCOMMS_BROWSER_ARTIFACTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        name = request.node.name
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        (folder / f"{name}.html").write_text(page.content(), encoding="utf-8")
        print(f"browser state at the failure: {folder / name}.png, .html")


# --- The portal ----------------------------------------------------------------------------------


@pytest.fixture
def portal(live_server, settings):
    """The demo portal, loaded into the test database the live server reads.

    Tests run on a transactional database with serialized rollback, so Wagtail's
    root page, default site and locale (made by its migrations) come back for each test.
    """
    from django.core.management import call_command

    from demo.data import DEMO_PASSWORD
    from wagtail_policycomms.models import ConsultationPage, ConsultationStatus, PolicyIndexPage

    # A person types faster than the form's three-second guard when a test does the typing.
    settings.POLICYCOMMS_FORM_MIN_SECONDS = 0
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    call_command("policycomms_demo", stdout=StringIO(), stderr=StringIO())
    rounds = {}
    for consultation in ConsultationPage.objects.live().specific():
        rounds.setdefault(str(consultation.status), consultation)
    return SimpleNamespace(
        url=live_server.url,
        password=DEMO_PASSWORD,
        index=PolicyIndexPage.objects.live().get(),
        open=rounds[ConsultationStatus.OPEN],
        upcoming=rounds[ConsultationStatus.UPCOMING],
        closed=rounds[ConsultationStatus.CLOSED],
    )
