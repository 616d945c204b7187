from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("policycomms/", include("wagtail_policycomms.urls")),
    path("", include(wagtail_urls)),
]
