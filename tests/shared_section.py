"""Fixtures for a module whose tests add their pages under one home page and consultation
section, built once for the module (``module_db``): take them in place of conftest's with
``home, index = shared_section.home, shared_section.index`` (and ``shared_section`` itself
for class-scoped data built on them). Each test gets its own copies (``factories.fresh``)."""

import pytest

from tests import factories


@pytest.fixture(scope="module")
def shared_section(module_db):
    """The home page and the consultation section, built once for the module."""
    home = factories.make_home()
    return {"home": home, "index": factories.make_index(home)}


@pytest.fixture
def home(shared_section, db):
    return factories.fresh(shared_section["home"])


@pytest.fixture
def index(shared_section, db):
    return factories.fresh(shared_section["index"])
