"""The open-data API's endpoints, on Wagtail's API v2 (``BaseAPIViewSet``).

Read-only and public: no authentication is read (a logged-in superuser gets exactly
what an anonymous reader gets), JSON only, any origin (``cors``). Each endpoint
publishes a fixed list of fields (``fields``) built by ``data``, never a model's
fields: ``?fields=`` narrows that list, as in Wagtail's API (``*``, ``_``, ``-name``),
and a name outside it (``email``, ``phone``…) is refused with a 400.

- ``policies``: live draft policies; offset pagination (``limit`` at most
  ``max_limit``, any ``offset``);
- ``consultations``: live consultation rounds; offset pagination, as above;
- ``comments``: published comments with their published answers; keyset pagination
  (``?after=<id>``, ordered by id) with a ``next`` link, so every comment of a
  million can be reached at the cost of the first page.
"""

import json
from datetime import datetime, time
from functools import cache
from pathlib import Path

from django.db.models import F
from django.db.models.functions import Left
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet

from ..conf import local_zone
from ..models import (
    CommenterType,
    ConsultationPage,
    ConsultationStatus,
    DraftPolicyPage,
    PublicComment,
    counts,
)
from ..models.consultation_status import status_q
from . import data
from .cors import add_cors_headers, allow_any_origin, preflight_response

#: The largest id a query may name (a 64-bit integer, as the database stores it).
MAX_ID = 2**63 - 1


def _integer(request, name, default=None, minimum=0):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum or value > MAX_ID:
        raise BadRequestError(f"{name} must be an integer of at least {minimum}")
    return value


def _moment(request, name):
    """A date (``2026-11-01``: midnight on the department's clock) or an ISO 8601 time."""
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is not None:
                moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequestError(f"{name} must be a date (YYYY-MM-DD) or an ISO 8601 date and time")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, local_zone())
    return moment


class PublicAPIViewSet(BaseAPIViewSet):
    """What every endpoint shares: public, read-only, JSON, CORS, a fixed list of fields."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]

    #: The fields an item may have, in order: all of them by default.
    fields = ()
    #: Query parameters that filter the listing.
    filter_parameters = ()
    #: Query parameters of the pagination.
    pagination_parameters = ("limit", "offset")
    #: Items per page when ``limit`` is not given, and the most a page may hold.
    default_limit = 20
    max_limit = 100

    # --- CORS -------------------------------------------------------------------------

    def finalize_response(self, request, response, *args, **kwargs):
        return add_cors_headers(super().finalize_response(request, response, *args, **kwargs))

    def options(self, request, *args, **kwargs):
        return preflight_response(request)

    # --- Query parameters and fields ----------------------------------------------------

    def check_query_parameters(self, queryset=None):
        known = {"fields", "format", "_", *self.filter_parameters}
        if self.action == "listing_view":
            known.update(self.pagination_parameters)
        unknown = set(self.request.GET) - known
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )

    def selected_fields(self):
        """The fields asked for with ``?fields=``, as Wagtail's API reads it; all by default."""
        raw = self.request.GET.get("fields", "")
        try:
            config = parse_fields_parameter(raw) if raw else []
        except ValueError as error:
            raise BadRequestError(f"fields error: {error}") from error
        chosen = set(self.fields)
        if config and config[0][0] in ("*", "_"):
            chosen = set(self.fields) if config[0][0] == "*" else set()
            config = config[1:]
        unknown = sorted(name for name, _negated, _sub in config if name not in self.fields)
        if unknown:
            raise BadRequestError("unknown fields: " + ", ".join(unknown))
        for name, negated, sub_fields in config:
            if sub_fields:
                raise BadRequestError(f"'{name}' does not support nested fields")
            if negated:
                chosen.discard(name)
            else:
                chosen.add(name)
        return [name for name in self.fields if name in chosen]

    def shaped(self, records):
        fields = self.selected_fields()
        return [{name: record[name] for name in fields} for record in records]

    def limit(self):
        limit = _integer(self.request, "limit", self.default_limit, minimum=1)
        if limit > self.max_limit:
            raise BadRequestError(f"limit cannot be higher than {self.max_limit}")
        return limit

    def page_url(self, **changes):
        query = self.request.GET.copy()
        for name, value in changes.items():
            query[name] = value
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    # --- Views --------------------------------------------------------------------------

    def listing_view(self, request):
        self.check_query_parameters()
        self.selected_fields()  # a wrong ?fields= is refused before any query
        queryset = self.filter_listing(self.get_queryset())
        limit = self.limit()
        offset = _integer(request, "offset", 0)
        total = queryset.count()
        items = list(queryset[offset : offset + limit])
        meta = {
            "total_count": total,
            "next": self.page_url(offset=offset + limit) if offset + limit < total else None,
        }
        return Response({"meta": meta, "items": self.shaped(self.records(items))})

    def detail_view(self, request, pk):
        self.check_query_parameters()
        self.selected_fields()
        item = self.get_queryset().filter(pk=pk).first() if pk <= MAX_ID else None
        if item is None:
            raise Http404("not found")
        return Response(self.shaped(self.records([item]))[0])

    def filter_listing(self, queryset):
        return queryset

    def records(self, items):
        raise NotImplementedError

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<int:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
        ]


PAGE_FIELDS = ("id", "meta", "title", "slug")


class PoliciesAPIViewSet(PublicAPIViewSet):
    """Live draft policies, oldest first (by id)."""

    name = "policies"
    model = DraftPolicyPage
    fields = (
        *PAGE_FIELDS,
        "document_type",
        "document_type_label",
        "drafting_unit",
        "field",
        "topics",
        "summary",
        "first_published_at",
        "last_published_at",
        "consultations",
        "articles",
    )
    filter_parameters = ("drafting_unit", "field", "topic")

    def get_queryset(self):
        return data.drafts_queryset(data.public_drafts()).order_by("pk")

    def filter_listing(self, queryset):
        request = self.request
        unit = _integer(request, "drafting_unit")
        if unit is not None:
            queryset = queryset.filter(drafting_unit_id=unit)
        field = _integer(request, "field")
        if field is not None:
            queryset = queryset.filter(sector_id=field)
        if request.GET.get("topic"):
            queryset = queryset.filter(topics__name=request.GET["topic"])
        return queryset

    def records(self, drafts):
        steplen = ConsultationPage.steplen
        rounds = {}
        consultations = (
            data.public_consultations()
            .annotate(parent_path=Left("path", (F("depth") - 1) * steplen))
            .filter(parent_path__in=[draft.path for draft in drafts])
            .only("id", "path", "title")
            .order_by("opens_at", "pk")
        )
        for consultation in consultations:
            rounds.setdefault(consultation.parent_path, []).append(consultation)
        return [
            data.draft_record(draft, self.request, consultations=rounds.get(draft.path, []))
            for draft in drafts
        ]


class ConsultationsAPIViewSet(PublicAPIViewSet):
    """Live consultation rounds, oldest first (by id)."""

    name = "consultations"
    model = ConsultationPage
    fields = (
        *PAGE_FIELDS,
        "status",
        "status_label",
        "opens_at",
        "closes_at",
        "draft_policy",
        "drafting_unit",
        "field",
        "topics",
        "published_comments",
        "comments_url",
        "downloads",
        "articles",
    )
    filter_parameters = ("status", "draft_policy", "drafting_unit", "field", "topic")

    def get_queryset(self):
        return data.public_consultations().order_by("pk")

    def filter_listing(self, queryset):
        request = self.request
        status = request.GET.get("status")
        if status:
            if status not in ConsultationStatus.values:
                raise BadRequestError(
                    "status must be one of: " + ", ".join(ConsultationStatus.values)
                )
            queryset = queryset.filter(status_q(status, timezone.now()))
        drafts = DraftPolicyPage.objects.all()
        filtered = False
        for name, lookup in (
            ("draft_policy", "pk"),
            ("drafting_unit", "drafting_unit_id"),
            ("field", "sector_id"),
        ):
            value = _integer(request, name)
            if value is not None:
                drafts, filtered = drafts.filter(**{lookup: value}), True
        if request.GET.get("topic"):
            drafts, filtered = drafts.filter(topics__name=request.GET["topic"]), True
        if filtered:
            steplen = ConsultationPage.steplen
            queryset = queryset.annotate(
                parent_path=Left("path", (F("depth") - 1) * steplen)
            ).filter(parent_path__in=drafts.values("path"))
        return queryset

    def records(self, consultations):
        drafts = data.drafts_of(consultations)
        comment_counts = counts.consultation_counts([c.pk for c in consultations])
        labels, now = data.Labels(), timezone.now()
        return [
            data.consultation_record(
                c, drafts.get(c.pk), self.request, labels, comment_counts, now=now
            )
            for c in consultations
        ]


class CommentsAPIViewSet(PublicAPIViewSet):
    """Published comments and their published answers, by id, a keyset page at a time."""

    name = "comments"
    model = PublicComment
    fields = (
        "id",
        "meta",
        "consultation",
        "article",
        "commenter_type",
        "commenter_type_label",
        "author",
        "submitted_at",
        "text",
        "answer",
    )
    filter_parameters = (
        "consultation",
        "article",
        "commenter_type",
        "submitted_after",
        "submitted_before",
    )
    pagination_parameters = ("limit", "after")
    default_limit = 100
    #: The most comments a page holds; every comment is reached by following ``next``.
    max_limit = 1000

    def get_queryset(self):
        return data.published_comments().order_by("pk")

    def filter_listing(self, queryset):
        request = self.request
        consultation = _integer(request, "consultation")
        if consultation is not None:
            queryset = queryset.filter(consultation_id=consultation)
        if "article" in request.GET:
            queryset = queryset.filter(article_id=request.GET["article"])
        commenter_type = request.GET.get("commenter_type")
        if commenter_type:
            if commenter_type not in CommenterType.values:
                raise BadRequestError(
                    "commenter_type must be one of: " + ", ".join(CommenterType.values)
                )
            queryset = queryset.filter(commenter_type=commenter_type)
        after = _moment(request, "submitted_after")
        if after is not None:
            queryset = queryset.filter(submitted_at__gte=after)
        before = _moment(request, "submitted_before")
        if before is not None:
            queryset = queryset.filter(submitted_at__lt=before)
        return queryset

    def listing_view(self, request):
        self.check_query_parameters()
        self.selected_fields()
        queryset = self.filter_listing(self.get_queryset())
        limit = self.limit()
        after = _integer(request, "after")
        if after is not None:
            queryset = queryset.filter(pk__gt=after)
        comments = list(queryset[: limit + 1])
        more = len(comments) > limit
        comments = comments[:limit]
        meta = {
            "limit": limit,
            "next": self.page_url(after=comments[-1].pk) if more else None,
        }
        return Response({"meta": meta, "items": self.shaped(self.records(comments))})

    def records(self, comments):
        # One reverse() for the page, not one per comment.
        detail = data._url("policycomms_api:comments:detail", 0)
        records = data.comment_records(comments)
        for record in records:
            url = detail and f"{detail[: -len('0/')]}{record['id']}/"
            record["meta"] = {
                "type": "wagtail_policycomms.PublicComment",
                "detail_url": data.absolute(self.request, url),
            }
        return records


# --- The OpenAPI description ------------------------------------------------------------

OPENAPI_FILE = Path(__file__).with_name("openapi.json")


@cache
def _openapi():
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@allow_any_origin
def openapi(request):
    """The API's OpenAPI 3 description, its server being where the API is mounted."""
    description = dict(_openapi())
    base = reverse("policycomms_api:openapi")[: -len("openapi.json")].rstrip("/")
    description["servers"] = [{"url": request.build_absolute_uri(base or "/")}]
    return HttpResponse(
        json.dumps(description, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
