"""The worker's queue: RHIs by due time, contact attempts, arranging the interview, the decline and
its letter. The guided interview itself lives in its own blueprint."""
from .views import bp

__all__ = ["bp"]
