"""health: checks for the background machinery: a worker heartbeat and ``celery_smoke``;
``/healthz`` (the process answers) and ``/readyz`` (database, broker, storages) for load
balancers, with django-health-check (docs/deploy.md).

May import: Django, celery and django-health-check only.
"""
