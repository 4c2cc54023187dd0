"""Children placed with us by another local authority: requests for their RHIs, chasing, and the
RHIs they send back. The coordinator's pages live here (/placements/...); the placing authority's
own pages are in partner.py, and systems post RHIs through api/."""
from .views import bp

__all__ = ["bp"]
