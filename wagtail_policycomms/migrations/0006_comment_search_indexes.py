# Placeholder: filled by the change that adds the moderation queue's search indexes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0005_published_comments_index"),
    ]

    operations = []
