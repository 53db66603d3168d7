"""Preview a document kind for template authors.

    python manage.py render_document --list
    python manage.py render_document KIND --sample --out FILE.docx
    python manage.py render_document KIND --context FILE.json --out FILE.docx [--pdf]

Nothing is stored or numbered: this renders the template with the given data only.
"""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.kinds import KINDS, get_kind
from documents.pdf import PdfConversionError, PdfUnavailable, convert_files
from documents.rendering import ContextError, DocumentRenderError, render_document_bytes, sample_context


class Command(BaseCommand):
    help = "列出公文类型，或用样例/自备数据渲染一种公文（供模板作者预览）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help="公文类型（见 --list）")
        parser.add_argument("--list", action="store_true", help="每行一个类型：键 和 说明")
        parser.add_argument("--sample", action="store_true", help="使用内置样例数据")
        parser.add_argument("--context", metavar="FILE.json", help="使用 JSON 文件中的数据")
        parser.add_argument("--out", metavar="FILE.docx", help="输出文件")
        parser.add_argument("--pdf", action="store_true", help="同时转换为 PDF（需要 LibreOffice）")

    def handle(self, *args, **opts):
        if opts["list"]:
            for kind in KINDS.values():
                self.stdout.write(f"{kind.key}\t{kind.description}")
            return
        if not opts["kind"]:
            raise CommandError("请指定公文类型，或使用 --list 查看可用类型。")
        try:
            get_kind(opts["kind"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if opts["sample"] == bool(opts["context"]):
            raise CommandError("请在 --sample 和 --context FILE.json 中选择一个。")
        if not opts["out"]:
            raise CommandError("请用 --out 指定输出文件（.docx）。")
        if opts["sample"]:
            context = sample_context(opts["kind"])
        else:
            path = Path(opts["context"])
            try:
                context = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise CommandError(f"找不到数据文件：{path}") from None
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise CommandError(f"数据文件 {path} 不是有效的 UTF-8 JSON：{exc}") from None
        try:
            data = render_document_bytes(opts["kind"], context)
        except (ContextError, DocumentRenderError) as exc:
            raise CommandError(str(exc)) from exc
        out = Path(opts["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(f"已生成 {out}（{len(data)} 字节）")
        if opts["pdf"]:

            try:
                (pdf,) = convert_files([out], out.parent)
            except (PdfUnavailable, PdfConversionError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"已生成 {pdf}")
