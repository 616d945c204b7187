import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0011_privacy_notice_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DataSubjectRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "email",
                    models.EmailField(
                        db_index=True,
                        help_text="The data subject's address: what the portal holds under it is searched.",
                        max_length=254,
                        verbose_name="email",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("access", "Access: see the personal data held"),
                            ("copy", "Copy: receive the personal data as a file"),
                            ("correction", "Correction of personal data"),
                            ("deletion", "Deletion or anonymisation of personal data"),
                            ("restriction", "Restriction of processing"),
                            ("withdraw_consent", "Withdrawal of consent"),
                            ("objection", "Objection to processing"),
                        ],
                        max_length=30,
                        verbose_name="request",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("staff", "Entered by staff"),
                            ("portal", "Portal (email verified)"),
                        ],
                        default="staff",
                        max_length=20,
                        verbose_name="source",
                    ),
                ),
                ("details", models.TextField(blank=True, verbose_name="the person's message")),
                (
                    "received_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="received at"
                    ),
                ),
                (
                    "verified_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Set by the portal when the person confirms by the emailed link.",
                        null=True,
                        verbose_name="identity verified at",
                    ),
                ),
                (
                    "acknowledged_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at"),
                ),
                (
                    "completed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="completed at"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "Received"),
                            ("in_progress", "In progress"),
                            ("completed", "Completed"),
                            ("refused", "Refused"),
                        ],
                        default="received",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("notes", models.TextField(blank=True, verbose_name="staff notes")),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="handled by",
                    ),
                ),
            ],
            options={
                "verbose_name": "data-subject request",
                "verbose_name_plural": "data-subject requests",
                "ordering": ["-received_at"],
                "permissions": [("handle_data_requests", "Can handle data-subject requests")],
                "default_permissions": (),
            },
        ),
    ]
