"""Admin views for official answers (tiếp thu, giải trình) and comment themes.

* ``answer/<comment_pk>/``: answer one comment, or edit its answer.
* ``answer/group/<consultation_pk>/<text_hash>/``: answer every comment of a duplicate
  (campaign) group at once; one UPDATE whatever the group's size.
* ``answers/<response_pk>/publish/`` and ``…/unpublish/`` (POST): moderators only.
* ``comments/<comment_pk>/themes/``: set a comment's themes.

Answers are written only through ``moderation.answer`` and published only through
``moderation.set_answer_published``, which write the audit log. Who may do what is
decided in ``permissions``. The URLs are in ``admin_urls`` (namespace
``wagtail_policycomms_admin``).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import moderation
from ..blocks import REMOVED_WORDING, article_label
from ..forms import AnswerForm, ThemesForm
from ..models import CommentResponse, ConsultationPage, PublicComment
from ..permissions import (
    answering_units,
    can_answer,
    can_publish_answers,
    can_set_themes,
    can_view_personal_data,
    forbidden,
)
from ..restricted import without_hidden

QUEUE_URL_NAME = "wagtailsnippets_wagtail_policycomms_publiccomment:list"
#: Comments of a group shown on its answer page; the rest are counted.
GROUP_SAMPLE = 10


def queue_url():
    """The moderation queue, when it is installed."""
    try:
        return reverse(QUEUE_URL_NAME)
    except NoReverseMatch:
        return None


def answer_url(comment):
    return reverse("wagtail_policycomms_admin:answer_comment", args=[comment.pk])


def themes_url(comment):
    return reverse("wagtail_policycomms_admin:themes", args=[comment.pk])


def group_answer_url(consultation_id, text_hash):
    return reverse("wagtail_policycomms_admin:answer_group", args=[consultation_id, text_hash])


def response_url(response):
    """Where an answer is edited: its first comment's answer page."""
    first = response.comments.order_by("pk").first()
    if first is None:
        return queue_url() or reverse("wagtailadmin_home")
    return answer_url(first)


class AdminFormView(WagtailAdminTemplateMixin, FormView):
    """A Wagtail-styled form page with breadcrumbs back to the queue."""

    header_icon = "comment"

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}]
        queue = queue_url()
        if queue:
            items.append({"url": queue, "label": _("Public comments")})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or self.request.get_full_path()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.get_full_path(),
            media=context["form"].media,
            can_see_personal_data=can_view_personal_data(self.request.user),
            next_url=get_valid_next_url_from_request(self.request),
        )
        return context


class BaseAnswerView(AdminFormView):
    template_name = "wagtail_policycomms/admin/answers/answer_form.html"
    form_class = AnswerForm
    submit_button_label = _("Save answer")

    def dispatch(self, request, *args, **kwargs):
        self.load(**kwargs)
        if not can_answer(request.user, self.consultation):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        """Set ``consultation``, ``comments`` (the queryset answered) and ``response``."""
        raise NotImplementedError

    @cached_property
    def can_publish(self):
        return can_publish_answers(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = answering_units(
            self.request.user, self.response.answering_unit if self.response else None
        )
        kwargs["articles"] = self.article_choices()
        if self.response is not None:
            kwargs["initial"] = {
                "disposition": self.response.disposition,
                "text": self.response.text,
                "answering_unit": self.response.answering_unit_id,
            }
            if self.response.implemented_in_article:
                kwargs["initial"]["implemented_in_article"] = self.response.implemented_in_article
        else:
            draft_unit = self.consultation.drafting_unit_id
            if kwargs["units"].filter(pk=draft_unit).exists():
                kwargs["initial"] = {"answering_unit": draft_unit}
        return kwargs

    def article_choices(self):
        """(block id, label) of the articles of the draft's latest version (saved, maybe not
        yet published: the revision that carries the answers out); restricted ones left out
        (the choice is shown publicly). An answer's article no longer there stays a choice."""
        latest = self.consultation.draft_policy.get_latest_revision_as_object()
        choices = [(block.id, article_label(block)) for block in latest.public_articles]
        current = self.response.implemented_in_article if self.response else ""
        if current and current not in dict(choices):
            choices.append((current, str(REMOVED_WORDING % {"snapshot": current})))
        return choices

    def form_valid(self, form):
        data = form.cleaned_data
        response = None if data.get("separate") else self.response
        was_published = bool(response and response.is_published)
        response = moderation.answer(
            self.comments,
            self.request.user,
            disposition=data["disposition"],
            text=data["text"],
            answering_unit=data["answering_unit"],
            response=response,
            implemented_in_article=data.get("implemented_in_article", ""),
        )
        messages.success(self.request, self.success_message())
        if was_published and not self.can_publish:
            # A changed answer goes back to the moderators before the public sees it.
            moderation.set_answer_published(response, self.request.user, False)
            messages.warning(
                self.request,
                _(
                    "The answer had been published; it is now unpublished until a moderator "
                    "publishes the new text."
                ),
            )
        return redirect(self.get_success_url())

    def success_message(self):
        return _("Answer saved.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.response
        context.update(
            consultation=self.consultation,
            draft_policy=self.consultation.draft_policy,
            response=response,
            response_size=response.comments.count() if response else 0,
            can_publish=self.can_publish,
            submit_button_label=self.submit_button_label,
            submit_button_active_label=_("Saving…"),
        )
        if response is not None:
            context["publish_url"] = reverse(
                "wagtail_policycomms_admin:publish_answer", args=[response.pk]
            )
            context["unpublish_url"] = reverse(
                "wagtail_policycomms_admin:unpublish_answer", args=[response.pk]
            )
        return context


class AnswerCommentView(BaseAnswerView):
    def load(self, comment_pk):
        comments = PublicComment.objects.select_related("consultation", "response")
        comments = without_hidden(comments, self.request.user, "consultation_id")
        self.comment = get_object_or_404(comments, pk=comment_pk)
        self.consultation = self.comment.consultation
        self.comments = PublicComment.objects.filter(pk=self.comment.pk)
        self.response = self.comment.response

    def get_page_title(self):
        return _("Answer comment %(code)s") % {"code": self.comment.receipt_code}

    @cached_property
    def shared_with(self):
        """How many other comments the current answer covers."""
        if self.response is None:
            return 0
        return self.response.comments.exclude(pk=self.comment.pk).count()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "allow_separate": self.shared_with > 0}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group_size = PublicComment.objects.duplicates_of(self.comment).count()
        context.update(
            comment=self.comment,
            shared_with=self.shared_with,
            group_size=group_size,
            group_url=(
                group_answer_url(self.comment.consultation_id, self.comment.text_hash)
                if group_size > 1
                else None
            ),
            themes_url=themes_url(self.comment),
        )
        return context


class ManyAnswerView(BaseAnswerView):
    """One answer for every comment of a selection (a duplicate group, a campaign):
    ``load`` sets ``consultation``, ``comment`` (the one shown) and ``comments``, then calls
    ``load_shared_answer``."""

    def load_shared_answer(self):
        # Edit the selection's answer when every member shares one; otherwise a new one.
        response_ids = list(
            self.comments.order_by().values_list("response_id", flat=True).distinct()[:2]
        )
        self.mixed_answers = len(response_ids) > 1
        self.response = (
            CommentResponse.objects.filter(pk=response_ids[0]).first()
            if len(response_ids) == 1 and response_ids[0] is not None
            else None
        )

    @cached_property
    def group_size(self):
        return self.comments.count()

    def success_message(self):
        return ngettext(
            "Answer saved for %(count)d comment.",
            "Answer saved for %(count)d comments.",
            self.group_size,
        ) % {"count": self.group_size}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            comment=self.comment,
            group=True,
            group_size=self.group_size,
            group_sample=list(self.comments.order_by("submitted_at", "pk")[:GROUP_SAMPLE]),
            mixed_answers=self.mixed_answers,
        )
        return context


class AnswerGroupView(ManyAnswerView):
    submit_button_label = _("Save answer for the whole group")

    def load(self, consultation_pk, text_hash):
        rounds = without_hidden(ConsultationPage.objects.all(), self.request.user)
        self.consultation = get_object_or_404(rounds, pk=consultation_pk)
        first = (
            PublicComment.objects.filter(consultation=self.consultation, text_hash=text_hash)
            .order_by("submitted_at", "pk")
            .first()
        )
        if first is None:
            raise Http404
        self.comment = first
        self.comments = PublicComment.objects.duplicates_of(first)
        self.load_shared_answer()

    def get_page_title(self):
        return _("Answer a group of identical comments")


class SetPublishedView(View):
    """POST only: moderators publish or unpublish an answer."""

    published = True
    http_method_names = ["post"]

    def post(self, request, response_pk):
        if not can_publish_answers(request.user):
            return forbidden(request)
        answers = without_hidden(
            CommentResponse.objects.all(), request.user, "comments__consultation_id"
        )
        response = get_object_or_404(answers, pk=response_pk)
        if response.is_published == self.published:
            messages.info(
                request,
                _("The answer was already published.")
                if self.published
                else _("The answer was not published."),
            )
        else:
            moderation.set_answer_published(response, request.user, self.published)
            messages.success(
                request,
                _("Answer published: it shows under its comments on the consultation page.")
                if self.published
                else _("Answer unpublished: it no longer shows on the consultation page."),
            )
        return redirect(get_valid_next_url_from_request(request) or response_url(response))


class ThemesView(AdminFormView):
    template_name = "wagtail_policycomms/admin/answers/themes_form.html"
    form_class = ThemesForm

    def dispatch(self, request, *args, comment_pk, **kwargs):
        comments = PublicComment.objects.select_related("consultation")
        comments = without_hidden(comments, request.user, "consultation_id")
        self.comment = get_object_or_404(comments, pk=comment_pk)
        if not can_set_themes(request.user, self.comment.consultation):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Themes of comment %(code)s") % {"code": self.comment.receipt_code}

    def get_initial(self):
        return {"themes": list(self.comment.themes.all())}

    def form_valid(self, form):
        self.comment.themes.set(form.cleaned_data["themes"])
        messages.success(self.request, _("Themes saved."))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            comment=self.comment,
            submit_button_label=_("Save themes"),
            submit_button_active_label=_("Saving…"),
        )
        if can_answer(self.request.user, self.comment.consultation):
            context["answer_url"] = answer_url(self.comment)
        return context
