"""Static files in production: whitenoise's compressed, hashed manifest storage.

viewflow ships ``roboto-fontface.css`` whose font URLs point at files it does not ship (the
fonts live in another folder of the package), and Django's manifest storage refuses to collect a
CSS file with a reference it cannot hash. Such a reference is left as written (the browser gets
the same 404 it gets with ``DEBUG``); every file that exists is hashed and compressed.
"""
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError as exc:  # Django: "The file '…' could not be found with …"
            if content is None and "could not be found" in str(exc):
                return name
            raise
