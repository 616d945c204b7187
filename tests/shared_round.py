"""Fixtures for a module whose tests share one open round, built once for the module
(conftest's ``shared_consultation`` on ``module_db``): import them into the module
(``from tests.shared_round import consultation, draft, home, index``) to override
conftest's. Each test gets its own copies (``factories.fresh``)."""

import pytest

from tests import factories


@pytest.fixture
def home(shared_consultation, db):
    return factories.fresh(shared_consultation["home"])


@pytest.fixture
def index(shared_consultation, db):
    return factories.fresh(shared_consultation["index"])


@pytest.fixture
def consultation(shared_consultation, db):
    """The open round, built once for the module (conftest's ``shared_consultation``)."""
    return factories.fresh(shared_consultation["consultation"])


@pytest.fixture
def draft(request, shared_consultation, db):
    """The open round's draft where a test uses the round, else a new draft without one."""
    if "consultation" in request.fixturenames:
        return factories.fresh(shared_consultation["draft"])
    return factories.make_article_draft(request.getfixturevalue("index"))
