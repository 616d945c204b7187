"""Admin screens, built on Wagtail's own snippet viewsets."""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .filters import AssignmentFilterSet, PublicCommentFilterSet
from .forms import AssignmentForm
from .models import (
    Assignment,
    CommunicationChannel,
    CommunicationPlan,
    DataSubjectRequest,
    PublicComment,
    Sector,
    Unit,
)
from .permissions import (
    assignment_permission_policy,
    comment_permission_policy,
    data_request_permission_policy,
)
from .views import data_requests
from .views.assignments import (
    TEMPLATES as ASSIGNMENT_TEMPLATES,
)
from .views.assignments import (
    AssignmentDeleteView,
    AssignmentEditView,
    AssignmentIndexView,
    AssignmentInspectView,
    AssignmentRevisionsCompareView,
    PlanDeleteView,
    PlanManagersOnlyMixin,
    plan_assignments_label,
)
from .views.comments import (
    ModerateCommentView,
    PublicCommentHistoryView,
    PublicCommentIndexView,
    PublicCommentInspectView,
)
from .views.data_requests import (
    DataRequestEditView,
    DataRequestFilterSet,
    DataRequestInspectView,
)
from .views.groups import CommentGroupIndexView, GroupModerateView
from .views.inspect import InspectView


class ChooserCreateView(SnippetCreateView):
    """Wagtail keeps a chooser's "create" URL even when the viewset gives the chooser no
    creation form (ours never do: units, plans and assignments are made on their own
    screens); a request to it then failed with a 500. Refused by the snippet's own
    permission policy (Wagtail 7.4's chooser consults the model's default one), then
    not found."""

    def refuse(self):
        policy = self.model_class.snippet_viewset.permission_policy
        if not policy.user_has_permission(self.request.user, "add"):
            raise PermissionDenied
        if self.get_creation_form_class() is None:
            raise Http404

    def get(self, request):
        self.refuse()
        return super().get(request)

    def post(self, request):
        self.refuse()
        return super().post(request)


class ChooserViewSet(SnippetChooserViewSet):
    create_view_class = ChooserCreateView


class BaseViewSet(SnippetViewSet):
    """What every viewset of the package shares."""

    chooser_viewset_class = ChooserViewSet
    # Choice labels, "Có"/"Không", "—", local dd/mm/yyyy HH:MM: never a raw value.
    inspect_view_class = InspectView


class UnitViewSet(BaseViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    menu_name = "policycomms_units"
    list_display = ["name", "short_name", "email", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "email"]
    # A department has tens of units: a database query beats keeping a search index.
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("address"),
            ],
            heading=_("Contact details"),
            help_text=_("Shown on consultation pages where this unit receives comments."),
        ),
        FieldPanel("is_active"),
        FieldPanel("members"),
    ]


class SectorViewSet(BaseViewSet):
    model = Sector
    icon = "folder-open-inverse"
    menu_label = _("Fields")
    menu_name = "policycomms_sectors"
    list_display = ["name"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class CommunicationChannelViewSet(BaseViewSet):
    """The channels of the communication log (models.channels): each portal names its own."""

    model = CommunicationChannel
    icon = "globe"
    menu_label = _("Channels")
    menu_name = "policycomms_channels"
    list_display = ["name", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["sort_order", "name"]
    copy_view_enabled = False


class CommunicationPlanViewSet(BaseViewSet):
    """The plans ("Kế hoạch"), kept with their revisions; their items are assignments."""

    model = CommunicationPlan
    icon = "doc-full"
    menu_label = _("Plans")
    menu_name = "policycomms_plans"
    list_display = [
        "title",
        "number",
        "year",
        Column("assignments", label=_("Assignments"), accessor=plan_assignments_label),
    ]
    list_filter = ["year"]
    search_fields = ["title", "number"]
    search_backend_name = None
    ordering = ["-year", "title"]
    copy_view_enabled = False
    inspect_view_enabled = True
    delete_view_class = PlanDeleteView
    delete_template_name = ASSIGNMENT_TEMPLATES + "plan_confirm_delete.html"
    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("year"), FieldPanel("issued_on")]),
        FieldPanel("title"),
        FieldPanel("document"),
        FieldPanel("summary"),
    ]

    def get_queryset(self, request):
        return CommunicationPlan.objects.annotate(assignment_count=Count("assignments"))


class AssignmentViewSet(BaseViewSet):
    """The plan's assignments ("Nhiệm vụ"): each unit sees its own first; drafting units
    edit only their own (see permissions.AssignmentPermissionPolicy)."""

    model = Assignment
    icon = "tasks"
    menu_label = _("Assignments")
    menu_name = "policycomms_assignments"
    list_per_page = 50
    filterset_class = AssignmentFilterSet
    search_fields = ["title", "reference", "lead_unit_text", "description"]
    search_backend_name = None
    copy_view_enabled = True
    inspect_view_enabled = True
    index_view_class = AssignmentIndexView
    inspect_view_class = AssignmentInspectView
    revisions_compare_view_class = AssignmentRevisionsCompareView
    index_template_name = ASSIGNMENT_TEMPLATES + "index.html"
    edit_view_class = AssignmentEditView
    delete_view_class = AssignmentDeleteView

    @property
    def revisions_revert_view_class(self):
        """Wagtail's revert view (the edit view on an old revision), for plan managers only."""
        return type(
            "AssignmentRevertView", (PlanManagersOnlyMixin, super().revisions_revert_view_class), {}
        )

    edit_handler = ObjectList(
        [
            FieldPanel("plan"),
            FieldRowPanel([FieldPanel("reference"), FieldPanel("category")]),
            FieldPanel("title"),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("lead_unit", widget=forms.Select),
                            FieldPanel("lead_unit_text"),
                        ]
                    ),
                    FieldPanel("coordinating_units", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("draft_policy"),
                ],
                heading=_("Units"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("starts_on"), FieldPanel("due_on")]),
                    FieldPanel("time_frame"),
                    FieldPanel("status"),
                ],
                heading=_("Time and status"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("budget_estimated"), FieldPanel("budget_spent")]),
                    FieldPanel("funding_source"),
                ],
                heading=_("Budget"),
            ),
            InlinePanel("progress_notes", heading=_("Progress"), label=_("Progress note")),
            InlinePanel("evidence_documents", heading=_("Evidence"), label=_("Evidence document")),
        ],
        base_form_class=AssignmentForm,
    )

    @property
    def permission_policy(self):
        # Wagtail 7.4 asks the viewset; Wagtail 8 its registry (permissions).
        return assignment_permission_policy


class PolicyCommsViewSetGroup(SnippetViewSetGroup):
    items = (
        AssignmentViewSet,
        CommunicationPlanViewSet,
        UnitViewSet,
        SectorViewSet,
        CommunicationChannelViewSet,
    )
    menu_icon = "doc-full-inverse"
    menu_label = _("Policy consultation")
    menu_name = "policycomms"


class PublicCommentURLFinder:
    """Admin links to a comment (site history, bulk confirmation) open its inspect view:
    comments are never edited in the admin."""

    def __init__(self, user=None):
        self.user = user

    def get_edit_url(self, instance):
        if self.user is None or comment_permission_policy.user_has_permission(self.user, "view"):
            return reverse(
                PublicComment.snippet_viewset.get_url_name("inspect"), args=(quote(instance.pk),)
            )


class PublicCommentViewSet(BaseViewSet):
    """The moderation queue, "Góp ý" in the menu: its own top-level item, opening on pending
    comments. No add, edit, copy or delete views are offered (see permissions)."""

    model = PublicComment
    icon = "comment"
    menu_label = _("Comments")
    menu_name = "policycomms_comments"
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    # Wagtail's own default. Wagtail renders every row's action menu through templates
    # (about 2 ms a row): 50 rows made the first page of the queue 15x its SQL at a
    # million comments (docs/performance.md). Campaigns are handled a group at a time.
    list_per_page = 20
    ordering = "-submitted_at"
    filterset_class = PublicCommentFilterSet
    # Searched through the ORM (see filters.search_comments); listing these
    # fields turns the search box on.
    search_fields = ["body", "display_name", "organisation_name", "receipt_code"]
    search_backend_name = None
    index_view_class = PublicCommentIndexView
    index_template_name = "wagtail_policycomms/admin/comments/index.html"
    # Says "more than 1,000" past the capped count (views.comments.CappedCountPaginator).
    index_results_template_name = "wagtail_policycomms/admin/comments/index_results.html"
    inspect_template_name = "wagtail_policycomms/admin/comments/inspect.html"
    inspect_view_class = PublicCommentInspectView
    history_view_class = PublicCommentHistoryView

    @property
    def permission_policy(self):
        # Wagtail 7.4 asks the viewset; Wagtail 8 its registry (permissions).
        return comment_permission_policy

    @property
    def url_finder_class(self):
        return PublicCommentURLFinder

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            moderate_url_name=self.get_url_name("moderate"),
            groups_url_name=self.get_url_name("groups"),
            group_moderate_url_name=self.get_url_name("group_moderate"),
            list_url_name=self.get_url_name("list"),
            **kwargs,
        )

    def get_history_view_kwargs(self, **kwargs):
        # The history's "edit" links lead to the inspect view.
        return super().get_history_view_kwargs(edit_url_name=self.get_url_name("inspect"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            history_url_name=self.get_url_name("history"), **kwargs
        )

    @property
    def moderate_view(self):
        return self.construct_view(ModerateCommentView)

    def construct_groups_view(self, **kwargs):
        return self.construct_view(
            CommentGroupIndexView,
            index_url_name=self.get_url_name("groups"),
            index_results_url_name=self.get_url_name("groups_results"),
            **kwargs,
        )

    @property
    def groups_view(self):
        return self.construct_groups_view()

    @property
    def groups_results_view(self):
        return self.construct_groups_view(results_only=True)

    @property
    def group_moderate_view(self):
        return self.construct_view(GroupModerateView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/<slug:action>/", self.moderate_view, name="moderate"),
            path("groups/", self.groups_view, name="groups"),
            path("groups/results/", self.groups_results_view, name="groups_results"),
            path("groups/<int:pk>/<slug:action>/", self.group_moderate_view, name="group_moderate"),
        ]


class DataSubjectRequestViewSet(ModelViewSet):
    """Data-subject requests (docs/data-requests.md): list with deadlines, create, edit,
    inspect and history; from a request's page, the person's data (views.data_requests).
    Only for ``permissions.HANDLE_DATA_REQUESTS``; nobody deletes a request."""

    model = DataSubjectRequest
    icon = "user"
    menu_label = _("Data-subject requests")
    menu_name = "policycomms_data_requests"
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "policycomms/data-requests"
    url_namespace = "policycomms_data_requests"
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = DataRequestFilterSet
    search_fields = ["email"]
    search_backend_name = None
    list_per_page = 50
    edit_view_class = DataRequestEditView
    inspect_view_class = DataRequestInspectView
    list_display = [
        Column("email", label=_("email")),
        Column("kind", label=_("request"), accessor="get_kind_display"),
        Column("received", label=_("received"), accessor=data_requests.received_label),
        Column("complete_by", label=_("answer by"), accessor=data_requests.deadline_label),
        Column("status", label=_("status"), accessor="get_status_display"),
        Column("overdue", label=_("Overdue"), accessor=data_requests.overdue_label),
    ]
    form_fields = [
        "email",
        "kind",
        "source",
        "details",
        "received_at",
        "verified_at",
        "acknowledged_at",
        "completed_at",
        "status",
        "handled_by",
        "notes",
    ]
    permission_policy = data_request_permission_policy
