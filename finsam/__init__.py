"""Finsam uppföljning. The Celery app is loaded with Django so that `@shared_task` binds to it."""

from finsam.celery import app as celery_app

__all__ = ["celery_app"]
