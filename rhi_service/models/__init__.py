"""Every model, so that Alembic and the app see the whole schema from one import."""
from .audit import AuditEvent
from .children import Child
from .episodes import MissingEpisode
from .interviews import ContactAttempt, ReturnInterview
from .organisations import Organisation, User

__all__ = ["AuditEvent", "Child", "ContactAttempt", "MissingEpisode", "Organisation", "ReturnInterview", "User"]
