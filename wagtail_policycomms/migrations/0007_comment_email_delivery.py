"""Email delivery on each comment: whether its last email (verification or receipt) left us.

``tasks`` records it after each attempt; the moderation queue filters on "failed"
(``pc_comment_email_failed``, a partial index holding only the undelivered ones).
On PostgreSQL that index is built CONCURRENTLY (the migration is not atomic), so a
live portal keeps taking comments while it is built; the new columns have constant
defaults, which PostgreSQL adds without rewriting the table.
"""

from django.db import migrations, models

EMAIL_FAILED_INDEX = models.Index(
    condition=models.Q(("email_status", "failed")),
    fields=["-submitted_at"],
    name="pc_comment_email_failed",
)


def _concurrently(schema_editor):
    connection = schema_editor.connection
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def add_index(apps, schema_editor):
    model = apps.get_model("wagtail_policycomms", "PublicComment")
    if _concurrently(schema_editor):
        schema_editor.add_index(model, EMAIL_FAILED_INDEX, concurrently=True)
    else:
        schema_editor.add_index(model, EMAIL_FAILED_INDEX)


def remove_index(apps, schema_editor):
    model = apps.get_model("wagtail_policycomms", "PublicComment")
    if _concurrently(schema_editor):
        schema_editor.remove_index(model, EMAIL_FAILED_INDEX, concurrently=True)
    else:
        schema_editor.remove_index(model, EMAIL_FAILED_INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("wagtail_policycomms", "0006_comment_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="publiccomment",
            name="email_attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="email attempts"),
        ),
        migrations.AddField(
            model_name="publiccomment",
            name="email_status",
            field=models.CharField(
                blank=True,
                choices=[("", "Not sent yet"), ("sent", "Sent"), ("failed", "Not delivered")],
                default="",
                max_length=10,
                verbose_name="email delivery",
            ),
        ),
        migrations.AddField(
            model_name="publiccomment",
            name="email_status_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="email delivery recorded at"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_index, remove_index, elidable=False)],
            state_operations=[
                migrations.AddIndex(model_name="publiccomment", index=EMAIL_FAILED_INDEX)
            ],
        ),
    ]
