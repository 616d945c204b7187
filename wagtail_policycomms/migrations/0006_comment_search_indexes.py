"""Indexes for the moderation queue's search (filters.search_comments), PostgreSQL only.

Django writes ``field__icontains`` as ``UPPER("field"::text) LIKE UPPER('%…%')`` on
PostgreSQL, so each trigram index is built on exactly that expression: the planner
then answers the queue's search from the index instead of reading every comment.
A receipt code needs nothing here: it is searched by its beginning, case-sensitively
(``startswith``), which the unique code's own ``varchar_pattern_ops`` index (Django
makes it for a unique CharField) serves under any collation.

``pg_trgm`` is a trusted extension from PostgreSQL 13, so the database owner may
create it. When the extension cannot be created (an older server, or a role without
the right), the migration still succeeds without the trigram indexes: the search
works, only slower; it says what to run. SQLite (the tests' default) gets nothing:
its search stays the plain ORM one.

The indexes are built CONCURRENTLY (the migration is not atomic) so that a
deployment on a live database keeps taking comments while they are built.
"""

import sys

from django.db import DatabaseError, migrations

TABLE = "wagtail_policycomms_publiccomment"
#: (index name, column) for the trigram indexes of the searched text fields.
TRIGRAM_INDEXES = [
    ("pc_comment_body_trgm", "body"),
    ("pc_comment_org_trgm", "organisation_name"),
    ("pc_comment_name_trgm", "display_name"),
]

EXTENSION_HELP = (
    "wagtail_policycomms: could not create the PostgreSQL extension pg_trgm ({error}).\n"
    "The moderation queue's search works without it, but reads every comment.\n"
    "Ask a superuser to run: CREATE EXTENSION pg_trgm; in this database, then run\n"
    "  manage.py migrate wagtail_policycomms 0005 && manage.py migrate wagtail_policycomms\n"
)


def _create_index(schema_editor, name, expression, method=""):
    concurrently = "" if schema_editor.connection.in_atomic_block else "CONCURRENTLY "
    schema_editor.execute(
        f'CREATE INDEX {concurrently}IF NOT EXISTS "{name}" ON "{TABLE}" {method}({expression})'
    )


def has_pg_trgm(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if not has_pg_trgm(schema_editor):
        try:
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            if schema_editor.connection.in_atomic_block:
                raise  # the transaction is aborted: nothing more can run in it
            sys.stderr.write(EXTENSION_HELP.format(error=str(error).strip()))
            return
    for name, column in TRIGRAM_INDEXES:
        _create_index(schema_editor, name, f'UPPER("{column}"::text) gin_trgm_ops', "USING gin ")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other applications of the database may use it.
    for name, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("wagtail_policycomms", "0005_published_comments_index"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
