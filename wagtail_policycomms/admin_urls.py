"""Every admin URL of the package that is not a viewset's, under one namespace.

Mounted once by ``wagtail_hooks`` at ``<admin>/policycomms/``, as Wagtail's own
documents and search promotions mount theirs; Wagtail wraps each view in its
admin-access check. Reverse them as ``wagtail_policycomms_admin:<name>``.

The moderation queue, its duplicate groups and the plan's assignments are
snippet viewsets (``viewsets.py``): their URLs are Wagtail's
(``wagtailsnippets_wagtail_policycomms_publiccomment:list``, …).
"""

from django.urls import path

from .reports.views import AssignmentsByUnitReportView, ComplianceReportView, JusticeReportView
from .synthesis.views import SynthesisView, attach_synthesis_view, download_synthesis
from .views import answers, campaigns, data_requests, export_jobs, outcome

app_name = "wagtail_policycomms_admin"

urlpatterns = [
    # A data-subject request's personal data (views.data_requests).
    path(
        "data-requests/<int:pk>/data/",
        data_requests.PersonalDataView.as_view(),
        name="data_request_data",
    ),
    path(
        "data-requests/<int:pk>/export/<str:export_format>/",
        data_requests.export_personal_data,
        name="data_request_export",
    ),
    path(
        "data-requests/<int:pk>/correct/<int:comment_pk>/",
        data_requests.CorrectCommentView.as_view(),
        name="data_request_correct",
    ),
    path(
        "data-requests/<int:pk>/anonymise/",
        data_requests.AnonymiseView.as_view(),
        name="data_request_anonymise",
    ),
    # Campaigns of near-identical comments (views.campaigns).
    path("campaigns/", campaigns.CampaignIndexView.as_view(), name="campaigns"),
    path(
        "campaigns/results/",
        campaigns.CampaignIndexView.as_view(results_only=True),
        name="campaigns_results",
    ),
    path("campaigns/<int:campaign_pk>/", campaigns.CampaignView.as_view(), name="campaign"),
    path(
        "campaigns/<int:campaign_pk>/answer/",
        campaigns.CampaignAnswerView.as_view(),
        name="campaign_answer",
    ),
    path(
        "campaigns/<int:campaign_pk>/split/",
        campaigns.CampaignSplitView.as_view(),
        name="campaign_split",
    ),
    path(
        "campaigns/<int:campaign_pk>/<slug:action>/",
        campaigns.CampaignModerateView.as_view(),
        name="campaign_moderate",
    ),
    # Official answers and themes (views.answers).
    path("answer/<int:comment_pk>/", answers.AnswerCommentView.as_view(), name="answer_comment"),
    path(
        "answer/group/<int:consultation_pk>/<str:text_hash>/",
        answers.AnswerGroupView.as_view(),
        name="answer_group",
    ),
    path(
        "answers/<int:response_pk>/publish/",
        answers.SetPublishedView.as_view(),
        name="publish_answer",
    ),
    path(
        "answers/<int:response_pk>/unpublish/",
        answers.SetPublishedView.as_view(published=False),
        name="unpublish_answer",
    ),
    path("comments/<int:comment_pk>/themes/", answers.ThemesView.as_view(), name="themes"),
    # The synthesis report (synthesis.views).
    path("synthesis/draft/<int:pk>/", SynthesisView.as_view(), name="synthesis"),
    path("synthesis/draft/<int:pk>/attach/", attach_synthesis_view, name="synthesis_attach"),
    path(
        "synthesis/<str:scope>/<int:pk>/<str:export_format>/",
        download_synthesis,
        name="synthesis_download",
    ),
    # A closed round's public outcome page (views.outcome).
    path("outcome/<int:pk>/", outcome.OutcomeView.as_view(), name="outcome"),
    path("outcome/<int:pk>/publish/", outcome.publish_outcome_view, name="outcome_publish"),
    path("outcome/<int:pk>/withdraw/", outcome.withdraw_outcome_view, name="outcome_withdraw"),
    # Large exports written by the tasks worker (views.export_jobs).
    path("exports/", export_jobs.ExportJobListView.as_view(), name="export_jobs"),
    path("exports/<uuid:pk>/", export_jobs.ExportJobView.as_view(), name="export_job"),
    path(
        "exports/<uuid:pk>/download/",
        export_jobs.download_export_job,
        name="export_job_download",
    ),
    # The plan's reports (reports.views).
    path("reports/compliance/", ComplianceReportView.as_view(), name="report_compliance"),
    path("reports/justice/", JusticeReportView.as_view(), name="report_justice"),
    path(
        "reports/assignments-by-unit/",
        AssignmentsByUnitReportView.as_view(),
        name="report_assignments",
    ),
]
