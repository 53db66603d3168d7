"""Rebuild the .docx templates in ``templates_docx/`` from each kind's ``build_template()``.

    python manage.py build_templates [--out DIR] [KIND ...]

Edit the kind's module (``documents/kinds/<kind>.py``) or the page builder
(``documents/gbt9704.py``), never the .docx, then run this and commit the result: a test
fails when a committed template differs from what the builders produce. The output is
deterministic (fixed document properties and zip timestamps), so an unchanged kind
rebuilds to the same bytes.
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.kinds import KINDS, TEMPLATE_BUILDERS

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates_docx"


def build_all(out_dir=TEMPLATE_DIR, keys=None):
    """Write ``<kind.template>`` under ``out_dir`` for each kind (all by default); return the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key in keys or TEMPLATE_BUILDERS:
        path = out_dir / KINDS[key].template
        TEMPLATE_BUILDERS[key]().save(path)
        written.append(path)
    return written


class Command(BaseCommand):
    help = "按各公文类型的模板定义（documents/kinds/）重新生成 templates_docx/ 中的 .docx 模板。"

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="只生成这些类型（默认全部，见 render_document --list）")
        parser.add_argument("--out", metavar="DIR", default=str(TEMPLATE_DIR), help="输出目录（默认 templates_docx/）")

    def handle(self, *args, **opts):
        unknown = [k for k in opts["kinds"] if k not in KINDS]
        if unknown:
            raise CommandError(f"未知的公文类型：{'、'.join(unknown)}。可用类型：{'、'.join(KINDS)}")
        for path in build_all(opts["out"], opts["kinds"] or None):
            self.stdout.write(str(path))
