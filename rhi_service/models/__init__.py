"""Every model, so that Alembic and the app see the whole schema from one import."""
from .audit import AuditEvent
from .children import Child
from .episodes import MissingEpisode
from .organisations import Organisation, User

__all__ = ["AuditEvent", "Child", "MissingEpisode", "Organisation", "User"]
