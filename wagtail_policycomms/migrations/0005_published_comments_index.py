# Placeholder: filled by the change that adds the index of published comments.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0004_plans_assignments_communication_log"),
    ]

    operations = []
