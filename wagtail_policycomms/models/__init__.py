from .campaigns import Campaign, CampaignBandKey, CommentSignature
from .channels import CommunicationChannel, channel_labels
from .comments import (
    PII_FIELDS,
    CommentAttachment,
    CommenterType,
    CommentStatus,
    CommentTheme,
    PublicComment,
    ReceiptCounter,
)
from .consultation_status import ConsultationStatus
from .consultations import ConsultationPage
from .data_requests import DataSubjectRequest, RequestKind, RequestSource, RequestStatus
from .drafts import (
    Channel,
    CommunicationActivity,
    DocumentKind,
    DocumentType,
    DraftPolicyDocument,
    DraftPolicyPage,
    DraftPolicyTopic,
)
from .export_jobs import ExportJob, ExportJobStatus
from .index import PolicyIndexPage
from .plans import (
    Assignment,
    AssignmentCategory,
    AssignmentEvidence,
    AssignmentProgress,
    AssignmentStatus,
    CommunicationPlan,
    local_today,
)
from .privacy import PrivacyNoticeVersion
from .reminders import ReminderKind, SentReminder
from .responses import AnswerState, CommentResponse, Disposition
from .site_settings import ConsultationSettings, DepartmentSettings, ModerationMode
from .subscriptions import EmailOptOut, EmailStream, Subscription, SubscriptionNotice
from .units import Sector, Unit

__all__ = [
    "Assignment",
    "AssignmentCategory",
    "AssignmentEvidence",
    "AssignmentProgress",
    "AssignmentStatus",
    "Campaign",
    "CampaignBandKey",
    "CommentSignature",
    "Channel",
    "CommunicationActivity",
    "CommunicationChannel",
    "channel_labels",
    "CommunicationPlan",
    "local_today",
    "ReminderKind",
    "SentReminder",
    "PII_FIELDS",
    "CommentAttachment",
    "AnswerState",
    "CommentResponse",
    "CommentStatus",
    "CommentTheme",
    "Disposition",
    "CommenterType",
    "ConsultationSettings",
    "DepartmentSettings",
    "ModerationMode",
    "PublicComment",
    "ReceiptCounter",
    "ConsultationPage",
    "ConsultationStatus",
    "DataSubjectRequest",
    "RequestKind",
    "RequestSource",
    "RequestStatus",
    "DocumentKind",
    "DocumentType",
    "DraftPolicyDocument",
    "DraftPolicyPage",
    "DraftPolicyTopic",
    "PolicyIndexPage",
    "PrivacyNoticeVersion",
    "Sector",
    "ExportJob",
    "ExportJobStatus",
    "Subscription",
    "SubscriptionNotice",
    "EmailOptOut",
    "EmailStream",
    "Unit",
]
