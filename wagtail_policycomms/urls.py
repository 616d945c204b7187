"""URLs of the package's own public views.

Mount once, before Wagtail's catch-all::

    path("policycomms/", include("wagtail_policycomms.urls")),

Pages themselves are served by Wagtail. Later features (comment receipts,
email verification links) add their views here, so a portal that mounted this
module once gets them without touching its URLconf again.
"""

app_name = "wagtail_policycomms"

urlpatterns = []
