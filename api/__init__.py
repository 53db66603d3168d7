"""api: the open REST API under ``/api/v1/`` (django-ninja), for the systems around jifen.

Holds: personal access tokens (scoped read or write, stored as a SHA-256 hash) and their
portal page, the read and write endpoints (the write ones call the same services as the
screens: ``reviews.services``, ``market.services``), problem-details errors (RFC 9457),
``Idempotency-Key`` replay of write calls, and outgoing webhooks signed with HMAC-SHA256.

May import: every app. No app imports it (it sits beside ``portal`` at the top); the
webhooks listen to signals sent lower down (``notifications.signals``, ``documents.signals``).
"""
