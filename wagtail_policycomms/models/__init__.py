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
from .drafts import (
    DocumentKind,
    DocumentType,
    DraftPolicyDocument,
    DraftPolicyPage,
    DraftPolicyTopic,
)
from .index import PolicyIndexPage
from .responses import AnswerState, CommentResponse, Disposition
from .site_settings import ConsultationSettings, ModerationMode
from .units import Sector, Unit

__all__ = [
    "PII_FIELDS",
    "CommentAttachment",
    "AnswerState",
    "CommentResponse",
    "CommentStatus",
    "CommentTheme",
    "Disposition",
    "CommenterType",
    "ConsultationSettings",
    "ModerationMode",
    "PublicComment",
    "ReceiptCounter",
    "ConsultationPage",
    "ConsultationStatus",
    "DocumentKind",
    "DocumentType",
    "DraftPolicyDocument",
    "DraftPolicyPage",
    "DraftPolicyTopic",
    "PolicyIndexPage",
    "Sector",
    "Unit",
]
