"""Signals the documents toolkit sends; apps above it listen (the API's webhooks)."""
from django.dispatch import Signal

#: A document's file was stored (status done): ``document`` is the ``GeneratedDocument``.
document_issued = Signal()
