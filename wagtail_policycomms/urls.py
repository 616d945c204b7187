"""URLs of the package's own public views.

Mount once, before Wagtail's catch-all::

    path("policycomms/", include("wagtail_policycomms.urls")),

Pages themselves are served by Wagtail; the comment form posts to its
consultation page. Receipts (and asking for the verification link again), email
verification links and the staff download of attachments live here.
"""

from django.urls import path

from .api import downloads
from .views import calendar, data_requests, feeds, privacy, public, subscriptions
from .views import notifications as notification_views

app_name = "wagtail_policycomms"

urlpatterns = [
    path("receipt/<str:token>/", public.receipt, name="receipt"),
    path(
        "receipt/<str:token>/resend-verification/",
        public.resend_verification,
        name="resend_verification",
    ),
    path("verify/<str:token>/", public.verify, name="verify"),
    # One-click unsubscribe of the emails that are not receipts (docs/notifications.md).
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
    # Email subscriptions to new consultations (docs/subscriptions.md).
    path("subscribe/", subscriptions.subscribe, name="subscribe"),
    path("subscribe/sent/", subscriptions.sent, name="subscription_sent"),
    path(
        "subscribe/confirm/<str:token>/",
        subscriptions.confirm,
        name="subscription_confirm",
    ),
    path(
        "subscribe/unsubscribe/<str:token>/",
        subscriptions.unsubscribe,
        name="subscription_unsubscribe",
    ),
    path("attachments/<int:pk>/", public.download_attachment, name="attachment_download"),
    # Data-subject requests (docs/data-requests.md): the form, then the emailed link.
    path("privacy/request/", data_requests.request_form, name="data_request"),
    path("privacy/request/sent/", data_requests.sent, name="data_request_sent"),
    path(
        "privacy/request/confirm/<str:token>/",
        data_requests.confirm,
        name="data_request_confirm",
    ),
    # The privacy notice, current and any version a consent recorded (models.privacy).
    path("privacy/", privacy.current_notice, name="privacy_notice"),
    path("privacy/<int:number>/", privacy.notice_version, name="privacy_notice_version"),
    # Feeds and calendars (docs/feeds.md): open and upcoming consultations, all or of
    # one field; one consultation's published comments; comment periods as iCalendar.
    path("feeds/consultations.rss", feeds.consultations_rss, name="consultations_rss"),
    path("feeds/consultations.atom", feeds.consultations_atom, name="consultations_atom"),
    path(
        "feeds/consultations/field/<int:sector_id>.rss",
        feeds.consultations_rss,
        name="field_consultations_rss",
    ),
    path(
        "feeds/consultations/field/<int:sector_id>.atom",
        feeds.consultations_atom,
        name="field_consultations_atom",
    ),
    path("consultations/<int:page_id>/comments.rss", feeds.comments_rss, name="comments_rss"),
    path("consultations/<int:page_id>/comments.atom", feeds.comments_atom, name="comments_atom"),
    path(
        "consultations/<int:page_id>/calendar.ics",
        calendar.consultation_calendar,
        name="consultation_calendar",
    ),
    path("calendar.ics", calendar.consultations_calendar, name="consultations_calendar"),
    # Open data (docs/api.md): a closed consultation's published comments and answers.
    path(
        "consultations/<int:pk>/comments.csv",
        downloads.comments_csv,
        name="consultation_comments_csv",
    ),
    path(
        "consultations/<int:pk>/comments.json",
        downloads.comments_json,
        name="consultation_comments_json",
    ),
]
