"""Where generated documents, seals, bulk zips and evidence are stored: Django's ``STORAGES``.

Two named storages (``settings.STORAGES``), never a path in the code:

* ``"documents"`` — generated documents, seal images and bulk-job zips;
* ``"evidence"`` — the evidence files of declarations (``reviews``).

The embedded default backs both with :class:`PrivateStorage`, a folder outside any web root
(``settings.PRIVATE_STORAGE_ROOT``, from ``JIFEN_MEDIA_ROOT``; evidence in its ``evidence/``
subfolder). ``JIFEN_STORAGE=s3`` backs them with django-storages' S3 backend, so several web
and worker machines see the same files (docs/deploy.md). Code reads and writes stored files
only through the storage API (``save``, ``open``, ``delete``): S3 has no ``path``. LibreOffice
and the bulk zip work in temporary folders and upload the result.

Model fields take the callables :func:`private_storage` and :func:`evidence_storage`, which
return a lazy proxy for the alias: migrations reference the callable, and the backend is looked
up in ``settings.STORAGES`` when first used, again after a test overrides ``STORAGES``.
Files are never served by URL; the download views check permission and stream them.
"""
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

DOCUMENTS = "documents"
EVIDENCE = "evidence"


class PrivateStorage(FileSystemStorage):
    """The embedded default: a folder outside any web root, read from settings on every access
    (so a test, or a deployment that changes ``JIFEN_MEDIA_ROOT``, moves it without a restart)."""

    def __init__(self, subdir=""):
        super().__init__(base_url=None)
        self.subdir = subdir

    @property
    def base_location(self):
        return os.path.join(str(settings.PRIVATE_STORAGE_ROOT), self.subdir) if self.subdir else str(
            settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):  # pragma: no cover - deliberately unsupported
        raise NotImplementedError("private files have no public URL; use the permission-checked download view")


class StorageAlias(LazyObject):
    """``storages[alias]``, looked up when first used (``isinstance(proxy, Storage)`` holds)."""

    def __init__(self, alias):
        self.__dict__["alias"] = alias
        super().__init__()

    def _setup(self):
        self._wrapped = storages[self.alias]


_documents = StorageAlias(DOCUMENTS)
_evidence = StorageAlias(EVIDENCE)


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    """Forget the resolved backends when a test changes where files go (as Django does for
    ``default_storage``)."""
    if setting in ("STORAGES", "PRIVATE_STORAGE_ROOT"):
        _documents._wrapped = empty
        _evidence._wrapped = empty


def private_storage():
    """The ``documents`` storage; given to FileField(storage=...), so migrations reference it by path."""
    return _documents


def evidence_storage():
    """The ``evidence`` storage (declarations' evidence files)."""
    return _evidence
