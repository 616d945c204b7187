# The public page's published comments (numbered and keyset pages, counts) and the
# dashboard's comments awaiting an answer, read from partial indexes: see
# PublicComment.Meta.indexes and wagtail_policycomms.models.counts.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0004_plans_assignments_communication_log"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publiccomment",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["consultation", "-submitted_at", "-id"],
                name="pc_comment_published",
            ),
        ),
        migrations.AddIndex(
            model_name="publiccomment",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["consultation", "article_id", "-submitted_at", "-id"],
                name="pc_comment_published_article",
            ),
        ),
        migrations.AddIndex(
            model_name="publiccomment",
            index=models.Index(
                condition=models.Q(("response__isnull", True), ("status", "approved")),
                fields=["consultation"],
                name="pc_comment_awaiting",
            ),
        ),
    ]
