"""Versioned privacy notices (models.privacy).

The hand-typed ``privacy_notice_version`` of the site setting gives way to an automatic
number: a site that wrote its own notice gets it as version 1; a site on the built-in
notice has no version (number 0). Comments already stored keep the label they recorded.
"""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def carry_notice_into_version_1(apps, schema_editor):
    ConsultationSettings = apps.get_model("wagtail_policycomms", "ConsultationSettings")
    PrivacyNoticeVersion = apps.get_model("wagtail_policycomms", "PrivacyNoticeVersion")
    PrivacyNoticeVersion.objects.bulk_create(
        PrivacyNoticeVersion(site_id=row.site_id, number=1, body=row.privacy_notice)
        for row in ConsultationSettings.objects.exclude(privacy_notice="")
        if row.privacy_notice.strip()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0010_notifications_exports_subscriptions"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PrivacyNoticeVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                (
                    "body",
                    wagtail.fields.RichTextField(blank=True, verbose_name="privacy notice"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.site",
                        verbose_name="site",
                    ),
                ),
            ],
            options={
                "verbose_name": "privacy notice version",
                "verbose_name_plural": "privacy notice versions",
                "ordering": ["site", "-number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("site", "number"), name="pc_privacy_notice_site_number"
                    )
                ],
            },
        ),
        migrations.RunPython(carry_notice_into_version_1, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="consultationsettings",
            name="privacy_notice_version",
        ),
        migrations.AlterField(
            model_name="consultationsettings",
            name="privacy_notice",
            field=wagtail.fields.RichTextField(
                blank=True,
                help_text=(
                    "Shown beside the consent box. Leave empty for the built-in notice. "
                    "Personal data law (Law 91/2025/QH15, Decree 356/2025/NĐ-CP) asks for the "
                    "purposes, the controller and how long data is kept. Saving another text "
                    "creates a new version, numbered automatically."
                ),
                verbose_name="privacy notice",
            ),
        ),
    ]
