from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("policycomms/", include("wagtail_policycomms.urls")),
    # The open-data API (docs/api.md).
    path("api/v2/", include("wagtail_policycomms.api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# A refusal in the admin is the admin's 403 page in the user's language, also for the
# admin's scripts (Django's default is a bare English "403 Forbidden"; docs/installation.md).
handler403 = "wagtail_policycomms.views.errors.permission_denied"
