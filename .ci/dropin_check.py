"""Create one page of each wagtail-policycomms type in a fresh `wagtail start`
project and render them. Run by .ci/dropin.sh from the project directory with
DJANGO_SETTINGS_MODULE=dropin_portal.settings.dev, after `migrate`.

Exits non-zero (with a traceback or a message) on the first failure.
"""

import html
import os
import sys
import traceback
from datetime import timedelta

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropin_portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from wagtail_policycomms.models import (  # noqa: E402
    ConsultationPage,
    DraftPolicyPage,
    PolicyIndexPage,
    Unit,
)

# `wagtail start`'s base.html links the project's own stylesheet,
# {% static 'css/dropin_portal.css' %}. The package's templates have no reason
# to mention it, so seeing it proves they extended the project's base template.
BASE_TEMPLATE_MARKER = "css/dropin_portal.css"

failures = []


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message)
    if not condition:
        failures.append(message)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


check(settings.TIME_ZONE == "Asia/Ho_Chi_Minh", f"TIME_ZONE is {settings.TIME_ZONE!r}")

now = timezone.now()
unit = Unit.objects.create(
    name="Văn phòng Sở",
    short_name="VP",
    email="vp@example.vn",
    phone="0221 000",
    address="Hưng Yên",
)

home = Page.objects.get(depth=2).specific
print(f"home page: {home!r} ({type(home).__module__}.{type(home).__name__})")

index = publish(home, PolicyIndexPage(title="Dự thảo chính sách", slug="du-thao"))
draft = publish(
    index,
    DraftPolicyPage(
        title="Dự thảo A",
        slug="a",
        document_type="ubnd_decision",
        drafting_unit=unit,
        summary="Tóm tắt",
        body=[
            {
                "type": "article",
                "value": {"number": "Điều 1", "heading": "Phạm vi", "body": "<p>Nội dung</p>"},
            }
        ],
    ),
)
consultation = publish(
    draft,
    ConsultationPage(
        title="Lấy ý kiến đợt 1",
        slug="dot-1",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        receiving_unit=unit,
    ),
)

# StreamField drops unknown block types silently; make sure "article" was kept.
check(len(draft.body) == 1, f"draft body kept its article block (has {len(draft.body)})")

client = Client(HTTP_HOST="localhost")
pages = [
    (index, ["Dự thảo A"]),  # the index lists its draft
    (draft, ["Phạm vi"]),  # the article is rendered
    (consultation, []),
]
for page, extra_texts in pages:
    url = page.url
    name = type(page).__name__
    try:
        response = client.get(url)
    except Exception:
        traceback.print_exc()
        check(False, f"{name} {url} renders without an exception")
        continue
    body = html.unescape(response.content.decode("utf-8", "replace"))
    print(f"GET {url} ({name}) -> {response.status_code}")
    check(response.status_code == 200, f"{name} {url} returns 200")
    if response.status_code != 200:
        print(body[:2000])
        continue
    check(page.title in body, f"{name} shows its title {page.title!r}")
    check(
        BASE_TEMPLATE_MARKER in body,
        f"{name} extends the project's base.html ({BASE_TEMPLATE_MARKER!r} in the HTML)",
    )
    for text in extra_texts:
        check(text in body, f"{name} shows {text!r}")

# The admin: our menus beside a ModelAdmin menu of the project (wagtail_modeladmin).
from django.contrib.auth import get_user_model  # noqa: E402

admin_user = get_user_model().objects.create_superuser("dropin", "dropin@example.vn", "x")
staff = Client(HTTP_HOST="localhost")
staff.force_login(admin_user)
response = staff.get("/admin/")
menu = html.unescape(response.content.decode("utf-8", "replace"))
check(response.status_code == 200, f"the admin dashboard returns {response.status_code}")
for label in ("Home pages (modeladmin)", "Policy consultation", "Comments"):
    check(label in menu, f"the admin menu shows {label!r}")
from django.urls import reverse  # noqa: E402

for url in (
    "/admin/home/homepage/",
    reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list"),
):
    response = staff.get(url)
    check(response.status_code == 200, f"GET {url} returns {response.status_code}")

# A refusal met through Wagtail's scripts: the admin's page, not Django's bare 403.
from django.contrib.auth.models import Permission  # noqa: E402

clerk = get_user_model().objects.create_user("clerk", "clerk@example.vn", "x")
clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
refused = Client(HTTP_HOST="localhost")
refused.force_login(clerk)
response = refused.get(
    reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list_results"),
    HTTP_X_REQUESTED_WITH="XMLHttpRequest",
)
body = response.content.decode("utf-8", "replace")
check(
    response.status_code == 403, f"a script request without permission gets {response.status_code}"
)
check("<h1>403 Forbidden</h1>" not in body, "the refusal is not Django's bare 403 page")

# The open-data API, mounted as the README says: the published consultation is listed.
import json  # noqa: E402

response = Client(HTTP_HOST="localhost").get("/api/v2/consultations/")
check(response.status_code == 200, f"GET /api/v2/consultations/ returns {response.status_code}")
if response.status_code == 200:
    ids = [item["id"] for item in json.loads(response.content)["items"]]
    check(consultation.pk in ids, f"the API lists the consultation ({ids})")

if failures:
    print(f"drop-in: {len(failures)} check(s) failed")
    sys.exit(1)
print("drop-in: all checks passed")
