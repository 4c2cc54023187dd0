"""The guided interview blueprint."""
from .views import bp

__all__ = ["bp"]
