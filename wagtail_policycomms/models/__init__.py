from .consultation_status import ConsultationStatus
from .pages import (
    ConsultationPage,
    DocumentKind,
    DocumentType,
    DraftPolicyDocument,
    DraftPolicyPage,
    DraftPolicyTopic,
    PolicyIndexPage,
)
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
