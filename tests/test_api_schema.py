"""The comments endpoint against its OpenAPI description (api/openapi.json), by schemathesis.

schemathesis reads the description the portal serves (/api/v2/openapi.json) through the
Django WSGI application and sends requests generated from it, valid and invalid, to the
real stack (pytest-django's test database): no 500, only documented status codes, and
every body as the description says (``additionalProperties: false``: a field not
described, such as a personal-data field, fails the check). Derandomised and kept to
``max_examples`` per operation, so it is fast and gives the same cases on every run.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from wagtail_policycomms.models import CommentStatus, PublicComment

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, which ends the
    test's transaction on PostgreSQL; Django's test client does not, nor do we here."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_connection, draft):
    """Comments of every shape to describe: on an article and on the whole draft, by a
    person and a business, answered (published, draft) and not, plus unpublished ones."""
    consultation = factories.make_round_with_status(draft, "closed")
    on_article = factories.make_comment(
        consultation, article_id="a1", article_heading="Điều 1. Tên cũ", publish_name=True
    )
    factories.make_comment(
        consultation, commenter_type="business", organisation_name="Công ty Phố Hiến"
    )
    factories.make_comment(consultation, article_id="gone", article_heading="Điều 9. Đã bỏ")
    factories.make_comment(consultation, status=CommentStatus.PENDING)
    factories.answer_comments(PublicComment.objects.filter(pk=on_article.pk), published=True)
    answered_in_draft = factories.make_comment(consultation)
    factories.answer_comments(PublicComment.objects.filter(pk=answered_in_draft.pk))
    return schemathesis.openapi.from_wsgi("/api/v2/openapi.json", get_wsgi_application())


#: Hypothesis settings of each operation: few examples, the same ones on every run.
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_comments_endpoint_conforms_to_its_description(api_schema, mode):
    # schemathesis' own pytest integration (schema.parametrize) does not run under
    # pytest 9 (it sets a test's private _nodeid); its Hypothesis strategies do.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {operation.path for operation in operations} == {"/comments/", "/comments/{id}/"}
    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy(generation_mode=mode))
        def conforms(case):
            case.call_and_validate(checks=CHECKS)

        conforms()


def test_the_description_covers_the_comments_endpoint(client):
    """The description is the one the checks above run against: a change of path fails."""
    paths = client.get("/api/v2/openapi.json").json()["paths"]
    assert set(paths) == {"/comments/", "/comments/{id}/"}
