"""Every model, so that Alembic and the app see the whole schema from one import."""
from .analysis import Entity, Mention, Tag, TagDecision
from .api_tokens import ApiToken
from .audit import AuditEvent, AuditHead
from .children import Child
from .episodes import MissingEpisode
from .forms import Addendum, Answer, Consent, SectionState
from .interviews import ContactAttempt, ReturnInterview
from .organisations import Organisation, User
from .placements import RequestContact, RhiRequest, Upload

__all__ = ["Entity", "Mention", "Tag", "TagDecision", "ApiToken", "RequestContact", "RhiRequest", "Upload", "Addendum", "Answer", "Consent", "SectionState", "AuditEvent", "AuditHead", "Child", "ContactAttempt", "MissingEpisode", "Organisation", "ReturnInterview", "User"]
