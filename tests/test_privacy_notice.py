"""Versioned privacy notices: each text a number, each consent the number it was shown.

Law 91/2025/QH15 asks for a consent the person can check: the setting's notice becomes
version N+1 when its text changes, the comment records the number shown beside its
consent box, and ``/policycomms/privacy/<number>/`` shows that text again.
"""

import importlib
import json
import threading

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from wagtail.models import Site

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms.models import ConsultationSettings, PrivacyNoticeVersion, PublicComment

FIRST = "<p>Sở Khoa học và Công nghệ xử lý họ tên, thư điện tử của bạn: bản thứ nhất.</p>"
SECOND = "<p>Sở Khoa học và Công nghệ xử lý họ tên, thư điện tử của bạn: bản thứ hai.</p>"

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home):
    return Site.objects.get(is_default_site=True)


def versions(site):
    return list(
        PrivacyNoticeVersion.objects.filter(site=site)
        .order_by("number")
        .values_list("number", "body")
    )


def receipt_of(client, response):
    assert response.status_code == 303
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")


# --- Versions are made by saving the setting --------------------------------------------


def test_changing_the_text_creates_the_next_version_and_an_unchanged_save_does_not(site):
    settings = ConsultationSettings.for_site(site)
    settings.save()  # no text: the built-in notice, number 0, no version
    assert versions(site) == []
    assert settings.privacy_notice_number == 0

    factories.site_settings(privacy_notice=FIRST)
    assert versions(site) == [(1, FIRST)]

    factories.site_settings(moderation_mode="post")  # another field, same notice
    factories.site_settings(privacy_notice=FIRST + "\n")  # only trailing whitespace
    assert versions(site) == [(1, FIRST)]

    settings = factories.site_settings(privacy_notice=SECOND)
    assert versions(site) == [(1, FIRST), (2, SECOND)]
    assert settings.privacy_notice_number == 2
    assert ConsultationSettings.for_site(site).privacy_notice_number == 2

    # Emptied: the built-in notice again, as a version of its own (what people were shown).
    factories.site_settings(privacy_notice="")
    assert versions(site) == [(1, FIRST), (2, SECOND), (3, "")]
    assert PrivacyNoticeVersion.objects.get(site=site, number=3).is_built_in


def test_numbers_are_per_site(site, home):
    other = Site.objects.create(hostname="khac.example.vn", root_page=home, is_default_site=False)
    factories.site_settings(privacy_notice=FIRST)
    other_settings = ConsultationSettings.for_site(other)
    other_settings.privacy_notice = SECOND
    other_settings.save()
    assert versions(site) == [(1, FIRST)]
    assert versions(other) == [(1, SECOND)]


def test_the_same_number_twice_for_a_site_is_refused(site):
    PrivacyNoticeVersion.objects.create(site=site, number=1, body=FIRST)
    with pytest.raises(IntegrityError), transaction.atomic():
        PrivacyNoticeVersion.objects.create(site=site, number=1, body=SECOND)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once need PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_at_once_take_two_numbers():
    """Two requests save different texts at the same moment, each on its own connection:
    both read "no version yet", one insert is refused by the constraint, reads again and
    becomes version 2. No number is used twice and no text is lost."""
    site = factories.make_home().get_site()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def save(body):
        try:
            barrier.wait(timeout=10)
            results.append(PrivacyNoticeVersion.record(site.pk, body).number)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(body,)) for body in (FIRST, SECOND)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [1, 2]
    assert sorted(body for _, body in versions(site)) == sorted([FIRST, SECOND])


def test_the_editor_who_changed_the_notice_is_recorded(site, editor_client, editor):
    content = {
        "blocks": [
            {
                "key": "abcde",
                "text": "Thông báo do biên tập viên soạn.",
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
    url = reverse(
        "wagtailsettings:edit", args=["wagtail_policycomms", "consultationsettings", site.pk]
    )
    data = {"moderation_mode": "pre", "privacy_notice": json.dumps(content)}
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = PrivacyNoticeVersion.objects.get(site=site)
    assert version.number == 1
    assert "Thông báo do biên tập viên soạn." in version.body
    assert version.created_by == editor

    # Saved again unchanged: no new version; the history lists the one there is.
    assert editor_client.post(url, data).status_code == 302
    assert PrivacyNoticeVersion.objects.filter(site=site).count() == 1
    page = soup_of(editor_client.get(url))
    rows = page.select("[data-privacy-history] tr[data-version]")
    assert [row["data-version"] for row in rows] == ["1"]
    assert rows[0].select_one("a")["href"].endswith("/policycomms/privacy/1/")


def test_the_migration_carries_a_written_notice_into_version_1(site, home):
    migration = importlib.import_module(
        "wagtail_policycomms.migrations.0011_privacy_notice_versions"
    )
    other = Site.objects.create(hostname="khac.example.vn", root_page=home, is_default_site=False)
    ConsultationSettings.objects.bulk_create(  # as stored before versions existed
        [
            ConsultationSettings(site=site, privacy_notice=FIRST),
            ConsultationSettings(site=other, privacy_notice=" "),
        ]
    )
    migration.carry_notice_into_version_1(django_apps, None)
    assert versions(site) == [(1, FIRST)]
    assert versions(other) == []


# --- Each consent records the version shown ---------------------------------------------


def test_a_comment_records_the_version_shown_and_old_comments_keep_theirs(
    client, send, consultation, site
):
    factories.site_settings(privacy_notice=FIRST)
    old = factories.make_comment(consultation, consent_notice_version="2026-01")

    page = soup_of(client.get(consultation.url, HTTP_ACCEPT_LANGUAGE="en"))
    notice = page.select_one("#privacy-notice")
    assert "bản thứ nhất" in notice.get_text()
    assert notice["data-notice-version"] == "1"
    link = notice.select_one(".pc-privacy-notice-link a")
    assert link["href"] == "/policycomms/privacy/1/"
    assert link.get_text() == "Read the privacy notice, version 1"

    receipt = receipt_of(client, send())
    first = PublicComment.objects.exclude(pk=old.pk).get()
    assert first.consent_notice_version == "1"
    shown = soup_of(receipt).select_one(".pc-receipt-notice a")
    assert shown.get_text() == "Version 1"
    assert shown["href"] == "/policycomms/privacy/1/"

    factories.site_settings(privacy_notice=SECOND)
    page = soup_of(client.get(consultation.url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "bản thứ hai" in page.select_one("#privacy-notice").get_text()
    assert page.select_one(".pc-privacy-notice-link a")["href"] == "/policycomms/privacy/2/"
    send(body="Một góp ý khác, gửi sau khi thông báo đã đổi sang bản thứ hai.")

    recorded = dict(PublicComment.objects.values_list("pk", "consent_notice_version"))
    assert recorded[old.pk] == "2026-01"
    assert recorded[first.pk] == "1"
    assert sorted(recorded.values()) == ["1", "2", "2026-01"]


def test_without_a_written_notice_the_comment_records_the_built_in_notice(client, send):
    response = send()
    assert PublicComment.objects.get().consent_notice_version == "0"
    shown = soup_of(receipt_of(client, response)).select_one(".pc-receipt-notice a")
    assert shown["href"] == "/policycomms/privacy/0/"


def test_a_receipt_of_a_comment_with_a_typed_label_shows_it_without_a_link(
    client, consultation, site
):
    from wagtail_policycomms.views.public import receipt_path

    comment = factories.make_comment(consultation, consent_notice_version="2026-01")
    response = client.get(receipt_path(comment), HTTP_ACCEPT_LANGUAGE="en")
    notice = soup_of(response).select_one(".pc-receipt-notice dd")
    assert notice.get_text() == "2026-01"
    assert notice.select_one("a") is None


# --- The public pages ---------------------------------------------------------------------


def test_the_public_pages_show_the_current_and_earlier_versions(client, site):
    factories.site_settings(privacy_notice=FIRST)
    factories.site_settings(privacy_notice=SECOND)

    current = client.get("/policycomms/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    assert current.status_code == 200
    page = soup_of(current)
    assert page.select_one("[data-notice-version]")["data-notice-version"] == "2"
    assert page.select_one("h1").get_text() == "Privacy notice, version 2"
    assert "bản thứ hai" in page.select_one(".pc-privacy-notice").get_text()
    assert "This is the notice in use now." in current.content.decode()

    earlier = client.get("/policycomms/privacy/1/", HTTP_ACCEPT_LANGUAGE="en")
    assert earlier.status_code == 200
    text = soup_of(earlier).select_one(".pc-privacy-notice").get_text()
    assert "bản thứ nhất" in text
    assert "bản thứ hai" not in text
    assert "the notice in use now is version 2" in earlier.content.decode()

    assert client.get("/policycomms/privacy/2/").status_code == 200
    assert client.get("/policycomms/privacy/3/").status_code == 404
    assert client.get("/policycomms/privacy/abc/").status_code == 404


def test_the_built_in_notice_is_version_0(client, site):
    response = client.get("/policycomms/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = soup_of(response)
    assert page.select_one("h1").get_text() == "Privacy notice, version 0"
    assert "The unit that receives your comment processes the personal data" in (
        page.select_one(".pc-privacy-notice").get_text()
    )
    assert client.get("/policycomms/privacy/0/").status_code == 200
    assert client.get("/policycomms/privacy/1/").status_code == 404


def test_a_version_of_another_site_is_not_shown(client, site, home):
    other = Site.objects.create(hostname="127.0.0.1", root_page=home, is_default_site=False)
    PrivacyNoticeVersion.objects.create(site=other, number=1, body=SECOND)
    assert client.get("/policycomms/privacy/1/").status_code == 404
    response = client.get("/policycomms/privacy/1/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert "bản thứ hai" in soup_of(response).select_one(".pc-privacy-notice").get_text()


def test_the_vietnamese_page(client, site):
    factories.site_settings(privacy_notice=FIRST)
    response = client.get("/policycomms/privacy/1/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "bản thứ nhất" in response.content.decode()
