"""URLs of the package's own public views.

Mount once, before Wagtail's catch-all::

    path("policycomms/", include("wagtail_policycomms.urls")),

Pages themselves are served by Wagtail; the comment form posts to its
consultation page. Receipts (and asking for the verification link again), email
verification links and the staff download of attachments live here.
"""

from django.urls import path

from .views import public

app_name = "wagtail_policycomms"

urlpatterns = [
    path("receipt/<str:token>/", public.receipt, name="receipt"),
    path(
        "receipt/<str:token>/resend-verification/",
        public.resend_verification,
        name="resend_verification",
    ),
    path("verify/<str:token>/", public.verify, name="verify"),
    path("attachments/<int:pk>/", public.download_attachment, name="attachment_download"),
]
