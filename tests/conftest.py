"""Shared fixtures: a site with a home page and a consultation section, and an editor."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests import factories


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker):
    """Data built once for a whole test module and rolled back at its end: Django's
    ``TestCase.setUpTestData`` for pytest. Page trees cost most of the suite's time (every
    page is saved, revised, published, indexed for search and in the reference index); a
    module whose tests read the same tree builds it once.

    A module-scoped fixture that builds data depends on this one and returns the objects;
    each test gets them afresh from a function-scoped fixture (``factories.fresh``), so
    nothing one test changes in memory reaches the next, and each test's own changes are
    rolled back to this transaction's savepoint as usual. Every test of such a module runs
    on one xdist worker (the ``xdist_group`` mark below), so the data is built once.

    A transactional test (``transactional_db``) cannot run inside this transaction: a
    module that has one is refused here rather than passing by accident.
    """
    transactional = [
        item.name
        for item in request.session.items
        if item.path == request.path and _is_transactional(item)
    ]
    if transactional:
        pytest.fail(f"module_db in a module with transactional tests: {transactional}")
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def _is_transactional(item):
    """Whether a test runs outside a transaction: ``transactional_db``, or the
    ``django_db(transaction=True)`` mark."""
    if "transactional_db" in getattr(item, "fixturenames", ()):
        return True
    mark = item.get_closest_marker("django_db")
    return bool(mark and mark.kwargs.get("transaction"))


@pytest.fixture(scope="class")
def class_db(module_db, django_db_blocker):
    """``module_db`` for the tests of one class: data built once for the class, in a
    savepoint of the module's transaction rolled back when the class ends, so that the
    module's other tests (which count every draft, or need an empty database) never see it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks
def pytest_collection_modifyitems(config, items):
    """Every test of a module that builds shared data (``module_db``) stays on one worker,
    those that do not read the data too: they run inside the module's transaction all the
    same, and must not be sent elsewhere, or after a transactional test has emptied the
    database. (A fixture that reaches the database only through ``getfixturevalue`` must
    still name ``db``: pytest-django orders the tests by the fixtures they name.)"""
    shared = {item.path for item in items if "module_db" in getattr(item, "fixturenames", ())}
    for item in items:
        if item.path in shared:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture
def home(db):
    return factories.make_home()


@pytest.fixture
def index(home):
    return factories.make_index(home)


@pytest.fixture
def editor(db):
    """A superuser whose admin is in English, so messages can be matched as written."""
    return factories.make_superuser()


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def private_attachment_folder(tmp_path, settings):
    """Attachments go to a per-test private folder, as in production, never the source tree."""
    settings.POLICYCOMMS_ATTACHMENT_ROOT = str(tmp_path / "policycomms_private")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()


@pytest.fixture
def storage_dir(settings):
    """The private attachment folder of this test."""
    return Path(settings.POLICYCOMMS_ATTACHMENT_ROOT)


@pytest.fixture
def draft(index):
    """A draft with two articles of known block ids (modules may define their own)."""
    return factories.make_article_draft(index)


@pytest.fixture
def consultation(draft):
    """An open consultation round on ``draft``."""
    return factories.make_round_with_status(draft, "open")


@pytest.fixture(scope="module")
def shared_consultation(module_db):
    """``home``, ``index``, ``draft`` and ``consultation`` as above, built once for a module
    (``module_db``) whose tests read them: such a module overrides those fixtures to return
    ``factories.fresh(shared_consultation[name])``."""
    home = factories.make_home()
    index = factories.make_index(home)
    draft = factories.make_article_draft(index)
    consultation = factories.make_round_with_status(draft, "open")
    return {"home": home, "index": index, "draft": draft, "consultation": consultation}


@pytest.fixture
def send(client, consultation, django_capture_on_commit_callbacks):
    """Post a valid comment (English messages) to ``consultation`` or to ``page``, running the
    on-commit callbacks (receipt emails) as a real request would."""

    def send(page=None, **overrides):
        overrides.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return factories.post_comment(
            client, page or consultation, django_capture_on_commit_callbacks, **overrides
        )

    return send
