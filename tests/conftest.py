"""Shared fixtures: a site with a home page and a consultation section, and an editor."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from tests import factories


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
    return factories.make_draft(
        index,
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1"),
            factories.article("Điều 2", "Đối tượng áp dụng", block_id="a2"),
        ],
    )


@pytest.fixture
def consultation(draft):
    """An open consultation round on ``draft``."""
    return factories.make_round_with_status(draft, "open")


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
