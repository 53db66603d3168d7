"""Signals the notifications toolkit sends; apps above it listen (the API's webhooks)."""
from django.dispatch import Signal

#: ``notify`` was called for ``event`` (an ``Event`` value) about ``organisation``, with its
#: ``key``, ``title`` and ``url``; sent once per call, whoever the recipients turn out to be.
event_notified = Signal()
