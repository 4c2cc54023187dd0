"""The risk assessment record, the child's missing profile and Part 2 of the Philomena Protocol."""
from .views import bp

__all__ = ["bp"]
