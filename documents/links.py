"""Absolute links printed on paper: the one place that reads ``settings.PUBLIC_BASE_URL``.

A printed notice carries QR codes (the public board, the verification page). They must
point at the address the public reaches, set once with the environment variable
``JIFEN_PUBLIC_BASE_URL`` (``settings.PUBLIC_BASE_URL``; README, "Public base URL"). The
default, ``http://127.0.0.1:8000``, only works on the machine that printed the notice, so
``manage.py check`` warns (``documents.W001``) when it is still a loopback address with
``DJANGO_DEBUG=0``.
"""
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "")


def public_url(path):
    """``PUBLIC_BASE_URL`` (without its trailing slash) + ``path`` (starting with ``/``)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def board_url(organisation):
    """The public board of ``organisation``: where the public reads notices and objects."""
    return public_url(reverse("public_board", args=[organisation.code]))


def verify_url(key):
    """The public verification page of a document (its id, or its 发文字号)."""
    return public_url(reverse("verify", args=[str(key)]))


def is_loopback(url):
    """True when ``url`` has no host, or its host is a loopback or unspecified address."""
    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
