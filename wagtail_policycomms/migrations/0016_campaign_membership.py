"""A comment's campaign moves from ``PublicComment.campaign`` to its signature
(``CommentSignature.campaign``): regrouping then records membership with the signature
it writes anyway, instead of updating the comments table (docs/campaigns.md).

The data moves with it, on SQLite and PostgreSQL alike (one UPDATE with a correlated
subquery). A member without a signature row (none is written so: joining a campaign
writes the signature) gets one computed from its text, as grouping would have.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def _members_without_signature(PublicComment, CommentSignature, alias):
    """Signatures for members that have none, computed as grouping computes them."""
    from wagtail_policycomms.campaigns import signature

    missing = (
        PublicComment.objects.using(alias)
        .filter(campaign__isnull=False, campaign_signature__isnull=True)
        .values_list("pk", "body", "campaign_id")
    )
    rows = []
    for pk, body, campaign_id in missing.iterator(chunk_size=2000):
        sig = signature.minhash(body)
        if sig is not None:  # a text too short for a signature could not have joined
            rows.append(
                CommentSignature(
                    comment_id=pk, minhash=signature.to_bytes(sig), campaign_id=campaign_id
                )
            )
        if len(rows) >= 1000:
            CommentSignature.objects.using(alias).bulk_create(rows)
            rows = []
    CommentSignature.objects.using(alias).bulk_create(rows)


def _immediate(schema_editor):
    # The rows written above fire deferred foreign-key checks; PostgreSQL refuses to
    # ALTER a table with pending trigger events, so they are checked now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    PublicComment = apps.get_model("wagtail_policycomms", "PublicComment")
    CommentSignature = apps.get_model("wagtail_policycomms", "CommentSignature")
    comments = PublicComment.objects.using(alias)
    CommentSignature.objects.using(alias).filter(
        comment__in=comments.filter(campaign__isnull=False).values("pk")
    ).update(
        campaign_id=Subquery(comments.filter(pk=OuterRef("comment_id")).values("campaign_id")[:1])
    )
    _members_without_signature(PublicComment, CommentSignature, alias)
    _immediate(schema_editor)


def backwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    PublicComment = apps.get_model("wagtail_policycomms", "PublicComment")
    CommentSignature = apps.get_model("wagtail_policycomms", "CommentSignature")
    members = CommentSignature.objects.using(alias).filter(campaign__isnull=False)
    PublicComment.objects.using(alias).filter(pk__in=members.values("comment_id")).update(
        campaign_id=Subquery(members.filter(comment_id=OuterRef("pk")).values("campaign_id")[:1])
    )
    _immediate(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0015_campaign_signatures"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentsignature",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="member_signatures",
                db_constraint=False,
                to="wagtail_policycomms.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="publiccomment",
            name="campaign",
        ),
    ]
