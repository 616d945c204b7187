"""The demo portal's URLs plus the bare Django baseline view (before Wagtail's catch-all)."""

from django.urls import path

from bench.baselines.views import bare_comment
from portal import urls as portal_urls

urlpatterns = [
    path("bench/bare-comment/", bare_comment, name="bench_bare_comment"),
    *portal_urls.urlpatterns,
]
