"""``manage.py check`` for what the documents print: the public base URL of their QR codes."""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext as _

from .links import is_loopback


@register(Tags.compatibility, deploy=False)
def public_base_url_check(app_configs, **kwargs):
    """``documents.W001`` when, with ``DEBUG`` off, ``PUBLIC_BASE_URL`` is not a public http(s) address.

    A notice printed with such a QR code cannot be checked by anyone who scans it.
    """
    if settings.DEBUG:
        return []
    url = getattr(settings, "PUBLIC_BASE_URL", "") or ""
    if urlsplit(url).scheme in ("http", "https") and not is_loopback(url):
        return []
    return [Warning(
        _("PUBLIC_BASE_URL 为 %(url)s：公文二维码只能在本机打开，群众扫码无法查看公示栏或核验公文。") % {"url": repr(url)},
        hint=_("请将环境变量 JIFEN_PUBLIC_BASE_URL 设为群众可以访问的地址，例如 https://jifen.example.org（见 README“Public base URL”）。"),
        id="documents.W001",
    )]
