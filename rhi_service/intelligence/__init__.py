"""Intelligence to the police: coordinators draft, managers approve and send. The police side is
rhi_service/police.py (/police/...)."""
from .views import bp

__all__ = ["bp"]
