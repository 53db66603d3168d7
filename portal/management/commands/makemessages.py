"""``makemessages`` for this project: Django's command plus the project's two extraction rules.

    python manage.py makemessages -l en -l zh_Hans     (``make messages`` also compiles)

The catalogues ``locale/<lang>/LC_MESSAGES/django.po`` are the only source of translations; this
command refreshes them from the code as Django's does (``msgmerge`` keeps every translation, marks
changed strings fuzzy and keeps removed ones as obsolete ``#~`` entries) and adds:

- ``_lazy(...)`` calls are extracted (the portal's alias of ``gettext_lazy``; xgettext only knows
  the names it is told);
- viewflow's own interface strings (the msgids of the catalogue viewflow ships, which it leaves
  untranslated) are put in our catalogues, referenced as ``viewflow/…``, so that their Chinese
  is written in our ``zh_Hans/django.po``; ``LOCALE_PATHS`` comes first in Django's lookup;
- likewise django-simple-captcha's strings (``captcha/…``): its catalogue would otherwise replace
  Django's own wording of shared msgids ("This field is required.") in every form;
- ``tests/``, ``var/`` and ``build/`` are not scanned.
Needs GNU gettext (``xgettext``, ``msguniq``, ``msgmerge``, ``msgcat``); raises ``CommandError``
as Django's command does when a tool fails.
"""
import os
import re
import tempfile
from pathlib import Path

import captcha
import viewflow
from django.core.management.commands import makemessages as base
from django.core.management.utils import popen_wrapper

#: Aliases of gettext functions used in the code besides Django's defaults (``_``, ``gettext_lazy`` …).
EXTRA_KEYWORDS = ("_lazy",)
#: Directories never scanned (besides Django's defaults: hidden directories, ``locale``, ``*~``).
EXTRA_IGNORE = ("tests/*", "var/*", "build/*")
#: The catalogue viewflow ships; only its msgids are used.
VIEWFLOW_CATALOGUE = Path(viewflow.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
#: django-simple-captcha's catalogue (translated, in its own words); only its msgids are used.
CAPTCHA_CATALOGUE = Path(captcha.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def viewflow_template(catalogue=VIEWFLOW_CATALOGUE, prefix="viewflow"):
    """A shipped catalogue as a template: msgstrs emptied, references prefixed with ``prefix/``."""
    lines = []
    for line in catalogue.read_text(encoding="utf-8").splitlines():
        if line.startswith("#: "):
            line = "#: " + " ".join(f"{prefix}/" + ref for ref in line[3:].split())
        elif line == "#, fuzzy":  # the header's flag; no entry of the shipped catalogue is translated
            continue
        line = re.sub(r'^(msgstr(?:\[\d+\])?) ".+"$', r'\1 ""', line)
        lines.append(line)
    return "\n".join(lines) + "\n"


class Command(base.Command):
    xgettext_options = base.Command.xgettext_options + [f"--keyword={k}" for k in EXTRA_KEYWORDS]

    def handle(self, *args, **options):
        if options["use_default_ignore_patterns"]:
            options["ignore_patterns"] = list(options["ignore_patterns"]) + list(EXTRA_IGNORE)
        return super().handle(*args, **options)

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        ours = os.path.join(self.default_locale_path, f"{self.domain}.pot")
        if self.domain != "django" or ours not in potfiles:
            return potfiles
        templates = []
        try:
            for text in (viewflow_template(), viewflow_template(CAPTCHA_CATALOGUE, "captcha")):
                with tempfile.NamedTemporaryFile("w", suffix=".pot", encoding="utf-8", delete=False) as fp:
                    fp.write(text)
                templates.append(fp.name)
            args = ["msgcat", "--use-first", *self.msguniq_options, "-o", ours, ours, *templates]
            _, errors, status = popen_wrapper(args)
        finally:
            for name in templates:
                os.unlink(name)
        if status != base.STATUS_OK:
            raise base.CommandError(f"errors happened while running msgcat\n{errors}")
        return potfiles
