"""The open-data API's URLs: mount them once, before Wagtail's catch-all::

    path("api/v2/", include("wagtail_policycomms.api.urls")),

Without a namespace of your own around them: the endpoints' URL names are
``policycomms_api:<endpoint>:listing`` / ``:detail`` (``api_router``'s namespace),
and the OpenAPI description is ``policycomms_api:openapi``. A portal with its own
Wagtail API router registers our endpoints on it instead (docs/api.md). The bulk
downloads are in ``wagtail_policycomms.urls``.
"""

from django.urls import include, path
from wagtail.api.v2.router import WagtailAPIRouter

from .views import CommentsAPIViewSet, ConsultationsAPIViewSet, PoliciesAPIViewSet, openapi

#: Our endpoints, ready to include (``api_router.urls``).
api_router = WagtailAPIRouter("policycomms_api")
api_router.register_endpoint("policies", PoliciesAPIViewSet)
api_router.register_endpoint("consultations", ConsultationsAPIViewSet)
api_router.register_endpoint("comments", CommentsAPIViewSet)

urlpatterns = [
    path(
        "",
        include(
            (
                [
                    path("openapi.json", openapi, name="openapi"),
                    *api_router.get_urlpatterns(),
                ],
                "policycomms_api",
            )
        ),
    ),
]
