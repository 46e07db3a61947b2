"""evalplatform: crowdsourced human evaluation of dialogue models."""

from evalplatform.celery import app as celery_app

__all__ = ("celery_app",)
