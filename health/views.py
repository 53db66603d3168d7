"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database, broker, storages).

``/healthz`` touches nothing: a load balancer or systemd watchdog restarts a process that does
not answer it. ``/readyz`` runs django-health-check's checks — ``SELECT 1`` on the database,
a connection to the broker, and a file written, read back and deleted on each named storage
(``documents``, ``evidence``) — and answers 503 naming the failing component, so a load
balancer stops sending requests to a machine that cannot reach them. JSON with
``Accept: application/json`` or ``?format=json``, plain text otherwise (a browser's ``text/html``
too): the answer is for probes and deployers, so it is never an HTML page in one language; the
status code is what a probe reads.
"""
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView

READY_CHECKS = (
    "health_check.checks.Database",
    "health.checks.Broker",
    ("health_check.checks.Storage", {"alias": "documents"}),
    ("health_check.checks.Storage", {"alias": "evidence"}),
)


@never_cache
def healthz(request):
    """The process is alive; no database, broker or storage is touched."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class ReadyView(HealthCheckView):
    checks = READY_CHECKS

    def render_to_response(self, context, **response_kwargs):
        """Where django-health-check would render its English HTML page: the plain text answer."""
        return self.render_to_response_text(response_kwargs.get("status", 200))

    async def dispatch(self, request, *args, **kwargs):
        response = await super().dispatch(request, *args, **kwargs)
        if response.status_code == 500:  # a check failed: "not ready", not a server error
            response.status_code = 503
        return response
