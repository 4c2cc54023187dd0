"""Every model, so that Alembic and the app see the whole schema from one import."""
from .analysis import Entity, Mention, Tag, TagDecision
from .api_tokens import ApiToken
from .audit import AuditEvent, AuditHead
from .children import Child
from .coordination import (ComplianceCount, ComplianceMark, EntityGroup, EntityMerge, PeerGroup, PeerGroupMember,
                           PeerLink, RepeatMark, ReviewCount, ReviewMark, ThemeCount, ThemeMark)
from .episodes import MissingEpisode
from .forms import Addendum, Answer, Consent, SectionState
from .intelligence import IntelligenceSource, IntelligenceStatement, IntelligenceSummary
from .interviews import ContactAttempt, ReturnInterview
from .organisations import Organisation, User
from .placements import RequestContact, RhiRequest, Upload
from .profiles import ChildPhoto, FormVersion

__all__ = ["Entity", "Mention", "Tag", "TagDecision", "ApiToken", "RequestContact", "RhiRequest", "Upload", "ChildPhoto", "FormVersion", "Addendum", "Answer", "Consent", "SectionState", "AuditEvent", "AuditHead", "Child", "ComplianceCount", "ComplianceMark", "EntityGroup", "EntityMerge", "PeerGroup", "PeerGroupMember", "PeerLink", "RepeatMark", "ReviewCount", "ReviewMark", "ThemeCount", "ThemeMark", "IntelligenceSource", "IntelligenceStatement", "IntelligenceSummary", "ContactAttempt", "MissingEpisode", "Organisation", "ReturnInterview", "User"]
