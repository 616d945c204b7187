"""The open-data API (read-only, on Wagtail's API v2) and the bulk downloads of comments.

- ``data``: what is published (pages, published comments, published answers), shared
  by the API and the downloads; no personal-data field (``models.comments.PII_FIELDS``);
- ``views``: the API endpoints (``policies``, ``consultations``, ``comments``) and the
  OpenAPI description (``openapi.json``);
- ``urls``: ``api_router`` and ``urlpatterns``, mounted by the portal at ``/api/v2/``;
- ``downloads``: a closed consultation's published comments and answers as CSV and
  JSON, streamed (mounted by ``wagtail_policycomms.urls``);
- ``cors``: ``Access-Control-Allow-Origin: *`` on every response of the two.

See docs/api.md. Importing this package imports neither Django REST framework nor
Wagtail's API: only ``views`` and ``urls`` do.
"""
