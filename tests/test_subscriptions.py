"""Email subscriptions to new consultations: subscribe, double opt-in, one-click
unsubscribe and the announcements of ``policycomms_notify_subscribers``."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from taggit.models import Tag

from tests import factories
from wagtail_policycomms.models.subscriptions import Subscription, SubscriptionNotice
from wagtail_policycomms.notifications import tokens

SUBSCRIBE_URL = "/policycomms/subscribe/"
EMAIL = "binh.tran@example.vn"
CONFIRM_LINK = re.compile(r"https?://\S+/policycomms/subscribe/confirm/[^/\s]+/")
DEPARTMENT = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def subscribe_data(**overrides):
    data = {
        "email": EMAIL,
        "scope": "all",
        "sector": "",
        "topic": "",
        "consent": "on",
        "website": "",
        "form_token": factories.form_token(),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def post_subscribe(client, home, django_capture_on_commit_callbacks):
    """POST the form as a browser would, running on-commit work (the confirmation email)."""

    def post(language="en", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                SUBSCRIBE_URL, subscribe_data(**overrides), HTTP_ACCEPT_LANGUAGE=language
            )

    return post


def confirm_link(message):
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def make_subscription(email, *, confirmed=True, language="vi", **kwargs):
    return Subscription.objects.create(
        email=email,
        language=language,
        confirmed_at=timezone.now() if confirmed else None,
        **kwargs,
    )


def unsubscribe_path(subscription_or_id):
    pk = getattr(subscription_or_id, "pk", subscription_or_id)
    token = tokens.make("subscribe-unsubscribe", pk)
    return reverse("wagtail_policycomms:subscription_unsubscribe", args=[token])


def notify():
    out = StringIO()
    call_command("policycomms_notify_subscribers", stdout=out)
    return out.getvalue()


# --- Subscribing and the double opt-in --------------------------------------------------------


def test_subscribe_confirm_by_post(client, post_subscribe):
    page = client.get(SUBSCRIBE_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b'name="consent"' in page.content
    assert b'name="consent" checked' not in page.content  # never ticked in advance

    response = post_subscribe()
    assert response.status_code == 303
    assert response["Location"] == reverse("wagtail_policycomms:subscription_sent")
    assert "Vui lòng kiểm tra hộp thư" in client.get(response["Location"]).content.decode()

    subscription = Subscription.objects.get()
    assert subscription.email == EMAIL and not subscription.is_confirmed
    assert subscription.sector is None and subscription.topic is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "List-Unsubscribe" not in message.extra_headers  # transactional
    link = path_of(confirm_link(message))
    assert "/policycomms/subscribe/unsubscribe/" in message.body  # manage / cancel link

    shown = client.get(link)  # a mail scanner prefetching the link confirms nothing
    assert shown.status_code == 200
    assert b"<form" in shown.content
    subscription.refresh_from_db()
    assert not subscription.is_confirmed

    done = client.post(link)
    assert done.status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_confirmed


def test_subscribing_again_neither_duplicates_nor_reveals(client, post_subscribe):
    first = post_subscribe()
    client.post(path_of(confirm_link(mail.outbox[0])))
    second = post_subscribe(form_token=factories.form_token())
    assert Subscription.objects.count() == 1
    assert Subscription.objects.get().is_confirmed
    # The same answer whether or not the address was already subscribed.
    assert second.status_code == first.status_code == 303
    assert second["Location"] == first["Location"]


def test_scope_of_one_field_or_topic(client, index, post_subscribe):
    sector = factories.make_sector("Giáo dục")
    factories.make_draft(index, sector=sector, topics=["học phí"])
    post_subscribe(scope="sector", sector=str(sector.pk))
    topic = Tag.objects.get(name="học phí")
    post_subscribe(scope="topic", topic=topic.slug, form_token=factories.form_token())
    rows = Subscription.objects.order_by("pk")
    assert [(s.sector_id, s.topic_id) for s in rows] == [
        (sector.pk, None),
        (None, topic.pk),
    ]


def test_form_errors_keep_what_was_typed(client, home):
    response = client.post(
        SUBSCRIBE_URL,
        subscribe_data(email="binh.tran@", scope="sector", consent=None),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="binh.tran@"' in html
    assert "Choose a field." in html
    assert "Please give your consent" in html
    assert re.search(r'<input[^>]*value="sector"[^>]*checked', html)
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_honeypot_refuses(client, home):
    response = client.post(
        SUBSCRIBE_URL, subscribe_data(website="http://spam.example"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Your subscription could not be accepted" in response.content.decode()
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_tampered_confirmation_link_is_refused(client, home):
    subscription = make_subscription(EMAIL, confirmed=False)
    token = tokens.make("subscribe-confirm", subscription.pk)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for method in (client.get, client.post):
        response = method(
            reverse("wagtail_policycomms:subscription_confirm", args=[tampered]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    # Signed for unsubscribing: not a confirmation link.
    other = tokens.make("subscribe-unsubscribe", subscription.pk)
    response = client.post(reverse("wagtail_policycomms:subscription_confirm", args=[other]))
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert not subscription.is_confirmed


def test_tampered_link_message_is_vietnamese_by_default(client, home):
    response = client.get(reverse("wagtail_policycomms:subscription_confirm", args=["x:y:z"]))
    assert response.status_code == 400
    assert response["Content-Language"] == "vi"
    assert "Liên kết không hợp lệ" in response.content.decode()


def test_expired_confirmation_link(client, post_subscribe, settings):
    settings.POLICYCOMMS_SUBSCRIPTION_CONFIRM_HOURS = 72
    start = timezone.now()
    with freeze_time(start):
        post_subscribe()
    link = path_of(confirm_link(mail.outbox[0]))
    with freeze_time(start + timedelta(hours=73)):
        response = client.post(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    html = response.content.decode()
    assert "This confirmation link has expired" in html
    assert f'href="{SUBSCRIBE_URL}"' in html
    assert not Subscription.objects.get().is_confirmed


def test_unconfirmed_subscriptions_are_deleted_after_the_window(home):
    start = timezone.now()
    with freeze_time(start - timedelta(hours=73)):
        old = make_subscription("old@example.vn", confirmed=False)
        kept = make_subscription("kept@example.vn", confirmed=True)
    fresh = make_subscription("fresh@example.vn", confirmed=False)
    notify()
    assert set(Subscription.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert not Subscription.objects.filter(pk=old.pk).exists()


# --- Unsubscribing ---------------------------------------------------------------------------


def test_unsubscribe_get_shows_a_button_post_deletes(client, home):
    subscription = make_subscription(EMAIL)
    path = unsubscribe_path(subscription)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"<form" in response.content
    assert Subscription.objects.filter(pk=subscription.pk).exists()

    response = client.post(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    # Idempotent: the same page again, by GET or POST.
    for method in (client.get, client.post):
        again = method(path, HTTP_ACCEPT_LANGUAGE="en")
        assert again.status_code == 200
        assert "You are unsubscribed" in again.content.decode()


def test_one_click_unsubscribe_from_a_mail_client(home):
    subscription = make_subscription(EMAIL)
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token
    response = mail_client.post(
        unsubscribe_path(subscription),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_tampered_unsubscribe_link_is_refused(client, home):
    subscription = make_subscription(EMAIL)
    path = unsubscribe_path(subscription)
    response = client.post(path[:-5] + "xxxx/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()


# --- Announcements ---------------------------------------------------------------------------


@pytest.fixture
def sector(db):
    return factories.make_sector("Khoa học và công nghệ")


@pytest.fixture
def policy(index, sector):
    return factories.make_draft(
        index, title="Dự thảo Nghị quyết về học phí", sector=sector, topics=["học phí"]
    )


def open_round(policy, **kwargs):
    now = timezone.now()
    return factories.make_consultation(
        policy, now - timedelta(hours=1), now + timedelta(days=30), **kwargs
    )


def test_published_ahead_is_announced_only_once_open(policy):
    make_subscription("an@example.vn")
    opens = factories.hanoi(2030, 3, 2, 8, 0)
    with freeze_time(opens - timedelta(days=2)):
        consultation = factories.make_consultation(policy, opens, opens + timedelta(days=30))
        notify()
    assert mail.outbox == []
    with freeze_time(opens - timedelta(minutes=1)):
        notify()
    assert mail.outbox == []
    with freeze_time(opens + timedelta(minutes=5)):
        output = notify()
    assert len(mail.outbox) == 1
    assert "Sent 1 announcement" in output
    assert SubscriptionNotice.objects.filter(consultation=consultation).count() == 1
    assert "08:00 02/03/2030" in mail.outbox[0].body  # Vietnam's clock, dd/mm/yyyy


def test_old_rounds_are_not_announced(policy, settings):
    settings.POLICYCOMMS_SUBSCRIPTION_ANNOUNCE_DAYS = 7
    make_subscription("an@example.vn")
    now = timezone.now()
    factories.make_consultation(policy, now - timedelta(days=8), now + timedelta(days=20))
    notify()
    assert mail.outbox == []


def test_running_twice_sends_once(policy):
    make_subscription("an@example.vn")
    open_round(policy)
    notify()
    notify()
    assert len(mail.outbox) == 1
    assert SubscriptionNotice.objects.count() == 1


def test_scope_matching_and_one_recipient_each(policy, sector, index):
    other_sector = factories.make_sector("Y tế")
    factories.make_draft(index, topics=["bệnh viện"])
    topic = Tag.objects.get(name="học phí")
    other_topic = Tag.objects.get(name="bệnh viện")
    make_subscription("all@example.vn")
    make_subscription("sector@example.vn", sector=sector)
    make_subscription("topic@example.vn", topic=topic)
    make_subscription("other-sector@example.vn", sector=other_sector)
    make_subscription("other-topic@example.vn", topic=other_topic)
    make_subscription("unconfirmed@example.vn", confirmed=False)
    open_round(policy)
    notify()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["all@example.vn", "sector@example.vn", "topic@example.vn"]
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        others = set(recipients) - set(message.to)
        text = message.body + "".join(content for content, __ in message.alternatives)
        assert not any(address in text for address in others)


def test_announcement_in_vietnamese_with_department_and_unsubscribe(policy, client):
    subscription = make_subscription("an@example.vn", language="vi")
    consultation = open_round(policy)
    notify()
    (message,) = mail.outbox
    assert consultation.title in message.subject
    assert "Thời gian lấy ý kiến" in message.body  # "Consultation period", in Vietnamese
    assert "Dự thảo chính sách: Dự thảo Nghị quyết về học phí" in message.body
    assert DEPARTMENT in message.body
    html = message.alternatives[0][0]
    assert DEPARTMENT in html
    assert f"http://localhost{consultation.url}" in message.body  # absolute
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and "/policycomms/subscribe/unsubscribe/" in header
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The header's link works as a one-click unsubscribe.
    response = Client(enforce_csrf_checks=True).post(
        path_of(header.strip("<>")),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_announcement_in_the_subscribers_language(policy):
    make_subscription("en@example.vn", language="en")
    open_round(policy)
    notify()
    assert "Consultation period" in mail.outbox[0].body


def test_queries_do_not_grow_with_subscribers(policy, django_assert_max_num_queries):
    open_round(policy)
    for n in range(5):
        make_subscription(f"s{n}@example.vn")
    notify()  # warms the caches (site root paths, the department's settings)
    SubscriptionNotice.objects.all().delete()
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as five:
        notify()
    assert len(mail.outbox) == 5

    SubscriptionNotice.objects.all().delete()
    mail.outbox.clear()
    for n in range(5, 50):
        make_subscription(f"s{n}@example.vn")
    with django_assert_max_num_queries(len(five.captured_queries)):
        notify()
    assert len(mail.outbox) == 50


def test_a_refused_email_is_tried_again_on_the_next_run(policy, settings):
    make_subscription("an@example.vn")
    open_round(policy)
    factories.use_email_backend(settings, "tests.test_subscriptions.RefusingBackend")
    with pytest.raises(Exception, match="1 email"):
        notify()
    assert SubscriptionNotice.objects.count() == 0
    factories.use_email_backend(settings, "django.core.mail.backends.locmem.EmailBackend")
    notify()
    assert len(mail.outbox) == 1


class RefusingBackend:
    """An email backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise OSError("550 refused")


def test_the_task_wrapper_announces_too(policy):
    from wagtail_policycomms.notifications.subscriptions import announce_task

    make_subscription("an@example.vn")
    open_round(policy)
    announce_task.enqueue()
    assert len(mail.outbox) == 1


def test_index_and_consultation_pages_link_to_the_form(client, index, policy):
    consultation = open_round(policy)
    for page in (index, consultation):
        html = client.get(page.url).content.decode()
        assert f'href="{SUBSCRIBE_URL}"' in html, page


# --- The privacy notice a subscription consented to ---------------------------------------------


def test_a_subscription_records_the_privacy_notice_the_person_saw(client, post_subscribe):
    import io
    import json

    import openpyxl

    from wagtail_policycomms.models import DataSubjectRequest, RequestKind
    from wagtail_policycomms.permissions import HANDLE_DATA_REQUESTS

    factories.site_settings(privacy_notice="Thông báo xử lý dữ liệu cá nhân, bản 1.")
    # The form shows that version, as the comment form does, and links to it.
    page = factories.soup_of(client.get(SUBSCRIBE_URL, HTTP_ACCEPT_LANGUAGE="vi"))
    notice = page.select_one("#privacy-notice")
    assert notice["data-notice-version"] == "1"
    assert "bản 1." in notice.get_text()
    assert "chỉ để gửi thư khi một đợt lấy ý kiến bắt đầu" in notice.get_text()  # what it keeps
    assert notice.select_one(".pc-privacy-notice-link a")["href"] == "/policycomms/privacy/1/"
    assert page.select_one(".pc-consent input[name=consent]") is not None
    post_subscribe()
    assert Subscription.objects.get().consent_notice_version == "1"

    # Subscribing again before confirming: the person saw the notice of today.
    factories.site_settings(privacy_notice="Thông báo xử lý dữ liệu cá nhân, bản 2.")
    post_subscribe(form_token=factories.form_token())
    subscription = Subscription.objects.get()
    assert subscription.consent_notice_version == "2"

    # Confirmed, it keeps the notice its owner confirmed, whoever types the address again.
    client.post(path_of(confirm_link(mail.outbox[-1])))
    factories.site_settings(privacy_notice="Thông báo xử lý dữ liệu cá nhân, bản 3.")
    post_subscribe(form_token=factories.form_token())
    assert Subscription.objects.get().consent_notice_version == "2"

    # The person's data export says so.
    data_request = DataSubjectRequest.objects.create(email=EMAIL, kind=RequestKind.ACCESS)
    client.force_login(factories.make_staff(perms=(HANDLE_DATA_REQUESTS,)))
    admin = "wagtail_policycomms_admin:data_request_export"
    response = client.get(reverse(admin, args=[data_request.pk, "json"]))
    assert response.status_code == 200
    (exported,) = json.loads(response.content.decode("utf-8"))["subscriptions"]
    assert exported["consent_notice_version"] == "2"
    response = client.get(reverse(admin, args=[data_request.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    heading, row = list(sheet.iter_rows(values_only=True))
    assert heading[-1] == "Privacy notice version"
    assert row[0] == EMAIL and row[-1] == "2"
