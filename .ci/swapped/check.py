"""Our page types work in a project whose base page model is swapped (Wagtail 8).

Run by .ci/run with DJANGO_SETTINGS_MODULE=settings after `migrate`.
"""

from datetime import timedelta

import django

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Site  # noqa: E402

from wagtail_policycomms.models import (  # noqa: E402
    ConsultationPage,
    DraftPolicyPage,
    PolicyIndexPage,
    Unit,
)

assert DraftPolicyPage._meta.get_field("basepage_ptr").related_model._meta.label == (
    "basepage.BasePage"
), "DraftPolicyPage must inherit from the swapped base page model"

unit = Unit.objects.create(name="Văn phòng Sở", email="vp@example.vn", address="Hưng Yên")
home = Site.objects.get(is_default_site=True).root_page
index = home.add_child(instance=PolicyIndexPage(title="Dự thảo chính sách", slug="du-thao"))
draft = index.add_child(
    instance=DraftPolicyPage(
        title="Dự thảo A",
        slug="a",
        drafting_unit=unit,
        body=[
            {
                "type": "article",
                "value": {"number": "Điều 1", "heading": "Phạm vi", "body": "<p>x</p>"},
            }
        ],
    )
)
now = timezone.now()
consultation = draft.add_child(
    instance=ConsultationPage(
        title="Đợt 1",
        slug="dot-1",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        receiving_unit=unit,
    )
)
client = Client()
for page, expected in [(index, "Dự thảo A"), (draft, "Phạm vi"), (consultation, "vp@example.vn")]:
    response = client.get(page.url, HTTP_HOST="localhost")
    html = response.content.decode()
    assert response.status_code == 200, (page.url, response.status_code)
    assert expected in html, (page.url, expected)
    assert "swapped-base" in html, page.url
print("swapped base page model: index, draft and consultation pages render")  # noqa: T201

# The compliance report finds drafts by their rounds, and a never-published one by its first
# revision, which Wagtail files under the (swapped) base page's content type.
from wagtail_policycomms.models import local_today  # noqa: E402
from wagtail_policycomms.reports import data  # noqa: E402

draft.major_social_impact = True
draft.save()
unpublished = index.add_child(
    instance=DraftPolicyPage(
        title="Dự thảo B", slug="b", drafting_unit=unit, major_social_impact=True, live=False
    )
)
unpublished.save_revision()
report = data.compliance_report(local_today().year)
assert sorted(row.title for row in report.rows) == ["Dự thảo A", "Dự thảo B"], report.rows
assert report.summary.in_scope == 2 and report.summary.communicated == 0, report.summary
print("swapped base page model: the compliance report finds published and unpublished drafts")  # noqa: T201
