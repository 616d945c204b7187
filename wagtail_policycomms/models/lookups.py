"""Filters for readers that go through many rows a chunk at a time (exports).

Kept in one place so that every chunked reader gets the cheap form on PostgreSQL.
"""

from django.db import connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def among(queryset, field, values):
    """``queryset`` where ``field`` is one of ``values``: thousands of them (a chunk's ids).

    On PostgreSQL, ``= ANY(%s)`` with the values as one array parameter: with a plain
    ``__in``, Django and psycopg prepare each of thousands of placeholders one by one
    (about 20 µs a value, a third of a CSV export's time). Elsewhere, ``__in``.
    """
    values = list(values)
    if not values:
        return queryset.none()
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": values})
    meta = queryset.model._meta
    qn = connection.ops.quote_name
    target = meta.pk if field == "pk" else meta.get_field(field)
    column = f"{qn(meta.db_table)}.{qn(target.column)}"
    # Only quoted names of the model's own column go into the SQL; the values are a parameter.
    condition = RawSQL(f"{column} = ANY(%s)", (values,), output_field=BooleanField())  # noqa: S611
    return queryset.filter(condition)
