"""Shared fixtures: a site with a home page and a consultation section, and an editor."""

import pytest
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
