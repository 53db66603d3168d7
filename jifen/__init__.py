"""jifen: workflow and approval engine for points-based management (积分制管理)."""
from .celery import app as celery_app

__all__ = ("celery_app",)
