"""Private file storage for generated documents, outside any web root.

The location is read from ``settings.PRIVATE_STORAGE_ROOT`` on every access instead of once
at import, so a test (or a deployment that changes ``JIFEN_MEDIA_ROOT``) moves the storage
without a restart of the model layer. Files are never served by URL; the download view
checks permission and streams them.
"""
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):  # pragma: no cover - deliberately unsupported
        raise NotImplementedError("private documents have no public URL; use the download view")


_storage = PrivateStorage()


def private_storage():
    """Callable given to FileField(storage=...), so migrations reference it by path."""
    return _storage
