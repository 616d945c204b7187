"""Data-subject requests (docs/data-requests.md): the staff screens and the public form.

Staff (``permissions.can_handle_data_requests``): the viewset's list, create, edit, inspect
and history (``viewsets.DataSubjectRequestViewSet``), and from a request's page what the
portal holds about its email (``PersonalDataView``), exported as a file for the person
(``export_personal_data``), corrected (``CorrectCommentView``) or anonymised
(``AnonymiseView``), each step audited on the request (``privacy.requests.log``).

The public: ``request_form`` (email, kind, optional text; the subscription form's abuse
controls) emails a signed link; ``confirm`` shows a button, and only its POST records the
request (source "portal", email verified), then says when it was received and by when it
will be answered. A forged link is a 400 page, an expired one a 410, never a 500.
"""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import EditView as GenericEditView
from wagtail.admin.views.generic import InspectView as GenericInspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import antispam
from ..antispam import AntiSpamFormMixin
from ..conf import policycomms_settings
from ..formats import format_date
from ..formats.text import normalise_email
from ..formats.xlsx import XLSX_CONTENT_TYPE
from ..models import DataSubjectRequest, PublicComment, RequestKind, RequestSource
from ..models.data_requests import RequestStatus
from ..models.plans import local_today
from ..notifications import mail, tokens
from ..permissions import can_handle_data_requests, forbidden
from ..privacy import requests as service
from .inspect import DisplayValuesMixin
from .public import logger, never_cache_private

ADMIN_TEMPLATES = "wagtail_policycomms/admin/data_requests/"
PUBLIC_TEMPLATES = "wagtail_policycomms/data_requests/"
#: The signed link of the public form (``notifications.tokens``).
TOKEN_PURPOSE = "data-request"  # noqa: S105 (a salt, not a password)
#: The longest text a person may add (it travels in the signed link).
DETAILS_MAX_LENGTH = 1000


def viewset_url(name, *args):
    return reverse(f"policycomms_data_requests:{name}", args=args)


def data_url(data_request):
    return reverse("wagtail_policycomms_admin:data_request_data", args=[data_request.pk])


# --- Staff: the viewset's views ----------------------------------------------------------------


class DataRequestEditView(GenericEditView):
    """Wagtail's edit view; a request marked completed gets its date and a "completed" entry."""

    def save_instance(self):
        before = (
            DataSubjectRequest.objects.filter(pk=self.object.pk)
            .values_list("status", flat=True)
            .first()
        )
        instance = super().save_instance()
        if instance.status == RequestStatus.COMPLETED and before != RequestStatus.COMPLETED:
            if instance.completed_at is None:
                instance.completed_at = timezone.now()
                DataSubjectRequest.objects.filter(pk=instance.pk).update(
                    completed_at=instance.completed_at
                )
            service.log(instance, "completed", self.request.user)
        return instance


class DataRequestInspectView(DisplayValuesMixin, GenericInspectView):
    template_name = ADMIN_TEMPLATES + "inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["data_url"] = data_url(self.object)
        context["data_request"] = self.object
        return context


def deadline_label(data_request):
    return format_date(data_request.complete_by)


def received_label(data_request):
    return format_date(data_request.received_at)


def overdue_label(data_request):
    return _("Overdue") if data_request.is_overdue else ""


# --- Staff: what is held about the person --------------------------------------------------


class DataRequestMixin:
    """Refuses whoever may not handle requests (before anything is read); loads the request."""

    header_icon = "user"

    def dispatch(self, request, *args, pk, **kwargs):
        if not can_handle_data_requests(request.user):
            return forbidden(request)
        self.data_request = get_object_or_404(DataSubjectRequest, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": viewset_url("index"), "label": _("Data-subject requests")},
            {"url": viewset_url("inspect", self.data_request.pk), "label": str(self.data_request)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            data_request=self.data_request,
            data_url=data_url(self.data_request),
            inspect_url=viewset_url("inspect", self.data_request.pk),
        )
        return context


class PersonalDataView(DataRequestMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everything held under the request's email, with what can be done with it."""

    template_name = ADMIN_TEMPLATES + "data.html"

    def get_page_title(self):
        return _("Personal data held")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = service.find(self.data_request.email, self.request.user)
        pk = self.data_request.pk
        context.update(
            found=found,
            export_url=reverse("wagtail_policycomms_admin:data_request_export", args=[pk, "json"]),
            export_xlsx_url=reverse(
                "wagtail_policycomms_admin:data_request_export", args=[pk, "xlsx"]
            ),
            anonymise_url=reverse("wagtail_policycomms_admin:data_request_anonymise", args=[pk]),
            correct_url_name="wagtail_policycomms_admin:data_request_correct",
        )
        return context


def export_personal_data(request, pk, export_format):
    """The person's data as a file (JSON), logged on the request with its counts."""
    if not can_handle_data_requests(request.user):
        return forbidden(request)
    data_request = get_object_or_404(DataSubjectRequest, pk=pk)
    if export_format not in ("json", "xlsx"):
        raise Http404
    found = service.find(data_request.email, request.user)
    if export_format == "json":
        content = service.export_json(found, data_request)
        content_type = "application/json; charset=utf-8"
    else:
        content = service.export_xlsx(found)
        content_type = XLSX_CONTENT_TYPE
    service.log(data_request, "exported", request.user, {"format": export_format, **found.counts})
    response = HttpResponse(content, content_type=content_type)
    stamp = local_today().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="du-lieu-ca-nhan-{data_request.pk}-{stamp}.{export_format}"'
    )
    return response


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = PublicComment
        fields = service.CORRECTABLE_FIELDS


class CorrectCommentView(DataRequestMixin, WagtailAdminTemplateMixin, FormView):
    """One of the person's comments: its name, email, phone and address changed on request."""

    template_name = ADMIN_TEMPLATES + "correct.html"
    form_class = CorrectionForm

    def dispatch(self, request, *args, comment_pk, **kwargs):
        self.comment_pk = comment_pk
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def comment(self):
        # Only a comment given under the request's email: never anyone else's.
        comment = get_object_or_404(
            service.comments_of(self.data_request.email).select_related("consultation"),
            pk=self.comment_pk,
        )
        return service.label_rounds([comment], self.request.user)[0]

    def get_page_title(self):
        return _("Correct comment %(code)s") % {"code": self.comment.receipt_code}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.comment}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "comment": self.comment}

    def form_valid(self, form):
        values = {name: form.cleaned_data[name] for name in service.CORRECTABLE_FIELDS}
        # The form's instance holds the new values; correct the stored comment.
        stored = PublicComment.objects.get(pk=self.comment.pk)
        changed = service.correct_comment(self.data_request, stored, values, self.request.user)
        if changed:
            messages.success(self.request, _("The comment's personal data was corrected."))
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect(data_url(self.data_request))


class AnonymiseView(DataRequestMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: what will be removed; POST: the person's comments anonymised, subscriptions gone."""

    template_name = ADMIN_TEMPLATES + "anonymise.html"

    def get_page_title(self):
        return _("Anonymise the person's data")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["found"] = service.find(self.data_request.email, self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        counts = service.anonymise(self.data_request, request.user)
        messages.success(
            request,
            _(
                "Personal data removed from %(comments)d comments; %(subscriptions)d "
                "subscriptions deleted."
            )
            % counts,
        )
        return redirect(data_url(self.data_request))


# --- The public form -----------------------------------------------------------------------


class DataRequestForm(AntiSpamFormMixin, forms.Form):
    """A person's request about their own data: a link is emailed to prove the address."""

    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you ask for?"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=gettext_lazy("Anything we should know (optional)"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    refusal_messages = {
        "honeypot": gettext_lazy(
            "Your request could not be accepted. If you are a person, please send the form again."
        ),
        "too_fast": gettext_lazy(
            "The form was sent too quickly. Please check it and send it again."
        ),
        "stale": gettext_lazy("The form has expired. Please send it again."),
        "tampered": gettext_lazy("The form could not be checked. Please send it again."),
        "replayed": gettext_lazy("This form has already been sent. Please send it again."),
    }

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


def _render(request, template, context=None, status=200):
    response = TemplateResponse(
        request,
        PUBLIC_TEMPLATES + template,
        {"policycomms_base_template": policycomms_settings.BASE_TEMPLATE, **(context or {})},
        status=status,
    )
    return never_cache_private(response)


def _message(request, title, message, status):
    return _render(request, "message.html", {"title": title, "message": message}, status=status)


def link_hours():
    """The emailed link works as long as a comment's verification link."""
    return policycomms_settings.VERIFICATION_MAX_AGE_HOURS


def confirm_path(email, kind, details, issued_at=None):
    issued_at = issued_at or timezone.now()
    token = tokens.make(
        TOKEN_PURPOSE,
        {"e": email, "k": kind, "d": details, "t": int(issued_at.timestamp())},
    )
    return reverse("wagtail_policycomms:data_request_confirm", args=[token])


@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request):
    """The form; a valid POST emails the link (the same answer whatever the address)."""
    if request.method != "POST":
        return _render(request, "request.html", {"form": DataRequestForm()})
    form = DataRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if form.within_rate_limits(request):
            url = request.build_absolute_uri(
                confirm_path(data["email"], data["kind"], data["details"])
            )
            try:
                mail.send_email(
                    "data_request_confirm",
                    data["email"],
                    {
                        "confirm_url": url,
                        "max_age_hours": link_hours(),
                        "kind_label": RequestKind(data["kind"]).label,
                    },
                )
            except Exception:
                logger.exception("Could not send the link of a data-subject request")
            antispam.mark_form_token_used(form)
            return HttpResponseRedirect(
                reverse("wagtail_policycomms:data_request_sent"), status=303
            )
    if form.spam_reason:
        logger.info("Data-subject request refused as abuse (%s)", form.spam_reason)
    form.refresh_tokens()
    return _render(request, "request.html", {"form": form})


def sent(request):
    return _render(request, "sent.html", {"max_age_hours": link_hours()})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a button (mail scanners follow links); POST: the request is recorded, once."""
    try:
        payload = tokens.read(TOKEN_PURPOSE, token, link_hours())
        email = normalise_email(payload["e"])
        kind = RequestKind(payload["k"])
        details = str(payload.get("d") or "")[:DETAILS_MAX_LENGTH]
        issued_at = datetime.fromtimestamp(int(payload["t"]), tz=UTC)
    except tokens.ExpiredToken:
        return _message(
            request,
            _("This link has expired"),
            _(
                "Links are valid for %(hours)s hours. Your request was not recorded: please "
                "send the form again."
            )
            % {"hours": link_hours()},
            status=410,
        )
    except (tokens.InvalidToken, KeyError, TypeError, ValueError):
        return _message(
            request,
            _("This link is not valid"),
            _(
                "The link could not be read: it may have been cut or changed. Please copy the "
                "whole link from the email, or send the form again. Your request was not "
                "recorded."
            ),
            status=400,
        )
    context = {"email": email, "kind_label": kind.label, "details": details}
    if request.method != "POST":
        return _render(request, "confirm.html", context)
    # The same link pressed twice records one request.
    data_request = DataSubjectRequest.objects.filter(
        email=email, kind=kind, source=RequestSource.PORTAL, received_at__gte=issued_at
    ).first()
    if data_request is None:
        now = timezone.now()
        data_request = DataSubjectRequest.objects.create(
            email=email,
            kind=kind,
            details=details,
            source=RequestSource.PORTAL,
            received_at=now,
            verified_at=now,
        )
        service.log(data_request, "created", None)
    return _render(
        request,
        "received.html",
        {
            **context,
            "received_on": format_date(data_request.received_at),
            "acknowledge_by": format_date(data_request.acknowledge_by),
            "complete_by": format_date(data_request.complete_by),
        },
    )


# --- Staff: the listing's filters ------------------------------------------------------------


class DataRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=RequestStatus.choices
    )
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = DataSubjectRequest
        fields = ["status", "kind", "source"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
