"""Migration 0016: a comment's campaign moves from ``PublicComment.campaign`` to its
signature (``CommentSignature.campaign``), and back when unapplied. Run through Django's
``MigrationExecutor`` on the test database (SQLite or PostgreSQL): members written at
0015 are members after 0016, and a member that had no signature row gets one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories
from tests.campaign_members import put_in_campaign
from wagtail_policycomms.campaigns import signature
from wagtail_policycomms.models import Campaign, CommentSignature, PublicComment

APP = "wagtail_policycomms"
BEFORE = [(APP, "0015_campaign_signatures")]
AFTER = [(APP, "0016_campaign_membership")]

LETTER = (
    "Chúng tôi đề nghị giữ nguyên mức thu phí thẩm định như hiện hành "
    "để giảm gánh nặng cho hộ kinh doanh cá thể."
)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_membership_survives_the_migration_both_ways(consultation):
    members = [
        factories.make_comment(consultation, body=f"{LETTER} Người gửi số {n}.") for n in range(3)
    ]
    alone = factories.make_comment(consultation, body=f"{LETTER} Một người khác.")
    other = factories.make_comment(consultation, body="Ý kiến riêng, không thuộc chiến dịch nào.")
    campaign = Campaign.objects.create(consultation=consultation, representative=members[0], size=3)
    put_in_campaign(members, campaign)
    put_in_campaign([alone], None)  # a signature in no campaign
    ids = {comment.pk for comment in members}

    try:
        # Back to 0015: the campaigns are on the comments again.
        old = migrate(BEFORE)
        OldComment = old.get_model(APP, "PublicComment")
        OldSignature = old.get_model(APP, "CommentSignature")
        moved_back = OldComment.objects.exclude(campaign=None).values_list("pk", "campaign_id")
        assert dict(moved_back) == dict.fromkeys(ids, campaign.pk)
        assert {f.name for f in OldSignature._meta.get_fields()} >= {"comment", "minhash"}
        assert "campaign" not in {f.name for f in OldSignature._meta.get_fields()}
        # A member whose signature row is missing (as written before signatures were kept).
        OldSignature.objects.filter(pk=members[2].pk).delete()
    finally:
        migrate(AFTER)

    assert set(PublicComment.objects.in_campaign(campaign).values_list("pk", flat=True)) == ids
    assert not PublicComment.objects.filter(pk__in=[alone.pk, other.pk]).in_any_campaign().exists()
    # The missing signature was computed from the text, as grouping computes it.
    rebuilt = CommentSignature.objects.get(pk=members[2].pk)
    assert signature.from_bytes(rebuilt.minhash) == signature.minhash(members[2].body)
    assert rebuilt.campaign_id == campaign.pk
    assert not CommentSignature.objects.filter(pk=other.pk).exists()
