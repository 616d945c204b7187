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
from .units import Sector, Unit

__all__ = [
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
