"""Celery application.

On the embedded default (no ``CELERY_BROKER_URL``) tasks run eagerly, in-process, so
``make run`` needs no broker. With ``CELERY_BROKER_URL=redis://...`` a real worker and
beat take over; beat fires viewflow's database-backed timers every minute.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen.settings")

app = Celery("jifen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
