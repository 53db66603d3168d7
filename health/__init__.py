"""health: checks for the background machinery: a worker heartbeat and ``celery_smoke``.

May import: Django and celery only.
"""
