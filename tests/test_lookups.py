"""``models.lookups.among``: the same rows as ``__in``, whatever form the values are sent in
(one integer array literal on PostgreSQL for integer columns, an array parameter for
other values, ``__in`` elsewhere)."""

import pytest
from django.db import connection

from tests import factories
from wagtail_policycomms.models import PublicComment
from wagtail_policycomms.models.lookups import among

pytestmark = pytest.mark.django_db


def _ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_among_selects_the_same_rows_as_in(consultation):
    comments = [factories.make_comment(consultation, body=f"Góp ý số {n}.") for n in range(5)]
    other = factories.make_comment(consultation, body="Góp ý khác.")
    chosen = [comments[0].pk, comments[2].pk, comments[4].pk]
    everything = PublicComment.objects.all()

    # Integers on the primary key and on a foreign key (an int4 column), a set and a generator.
    assert _ids(among(everything, "pk", set(chosen))) == sorted(chosen)
    assert _ids(among(everything, "consultation_id", (c for c in [consultation.pk]))) == _ids(
        everything.filter(consultation_id=consultation.pk)
    )
    # Strings: the text hashes.
    hashes = {comments[1].text_hash, other.text_hash}
    assert _ids(among(everything, "text_hash", hashes)) == sorted([comments[1].pk, other.pk])
    # A value matching nothing, and no values at all.
    assert _ids(among(everything, "pk", [max(chosen) + 1000])) == []
    assert _ids(among(everything, "pk", [])) == []
    # Chained, as ``group_sizes`` does.
    both = among(among(everything, "text_hash", hashes), "pk", chosen + [other.pk])
    assert _ids(both) == [other.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's array forms")
def test_integers_go_as_one_array_literal_on_postgresql(consultation):
    comment = factories.make_comment(consultation, body="Góp ý.")
    everything = PublicComment.objects.all()
    sql, params = among(everything, "pk", [comment.pk, 10**12]).query.sql_with_params()
    assert "= ANY(ARRAY(SELECT unnest(%s::bigint[])))" in sql
    assert params[-1] == f"{{{comment.pk},{10**12}}}"
    sql, params = among(everything, "consultation_id", [consultation.pk]).query.sql_with_params()
    assert "= ANY(ARRAY(SELECT unnest(%s::integer[])))" in sql
    # Not integers (or not all): the values as they are, one array parameter.
    sql, params = among(everything, "text_hash", [comment.text_hash]).query.sql_with_params()
    assert "= ANY(ARRAY(SELECT unnest(%s::varchar(64)[])))" in sql and params[-1] == [
        comment.text_hash
    ]
    sql, params = among(everything, "pk", [comment.pk, True]).query.sql_with_params()
    assert "= ANY(ARRAY(SELECT unnest(%s::bigint[])))" in sql
    assert params[-1] == [comment.pk, True]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_planner_does_not_estimate_each_value(consultation):
    """The array is evaluated once before the scan (an InitPlan), not handed to the
    planner as a constant whose every value it estimates against the column's statistics
    (12 ms of planning for a regroup batch's 4,000 band keys)."""
    comment = factories.make_comment(consultation, body="Góp ý.")
    for field, values in (("pk", range(comment.pk, comment.pk + 4000)), ("text_hash", ["a"])):
        sql, params = among(PublicComment.objects.all(), field, values).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "InitPlan" in plan, plan
