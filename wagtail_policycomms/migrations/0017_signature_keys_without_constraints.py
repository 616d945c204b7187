"""No database foreign-key constraint from a comment's signature and band keys to the
comment: PostgreSQL checked each at commit by locking the comment's row, a write to the
comments table for every comment regrouped (docs/campaigns.md). Django's ``CASCADE``
still deletes them with their comment."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0016_campaign_membership"),
    ]

    operations = [
        migrations.AlterField(
            model_name="campaignbandkey",
            name="comment",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="wagtail_policycomms.publiccomment",
                verbose_name="comment",
            ),
        ),
        migrations.AlterField(
            model_name="commentsignature",
            name="comment",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="campaign_signature",
                serialize=False,
                to="wagtail_policycomms.publiccomment",
                verbose_name="comment",
            ),
        ),
    ]
