"""Houqin (后勤): the shared platform every domain app stands on."""

from .celery import app as celery_app

__all__ = ["celery_app"]
