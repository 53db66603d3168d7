import socket

from celery import shared_task

from .models import Heartbeat


@shared_task(name="health.ping")
def ping():
    return "pong"


@shared_task(name="health.heartbeat", bind=True)
def heartbeat(self, token):
    hostname = getattr(self.request, "hostname", None) or socket.gethostname()
    Heartbeat.objects.get_or_create(token=token, defaults={"worker": hostname})
    return hostname
