"""PDF conversion with LibreOffice headless: one soffice process per batch.

Starting LibreOffice costs one to two seconds, converting a one-page notice a few tens of
milliseconds, so a batch of 3,000 notices must not start 3,000 processes. We start ONE
``soffice --convert-to pdf file1 … fileN``: it loads, converts every file in order and
exits. Each batch gets a throw-away user profile (``-env:UserInstallation``) so two batches,
or a clerk's desktop LibreOffice, never fight over the profile lock.

Fonts: ``FONTCONFIG_FILE`` points at ``deploy/fontconfig/fonts.conf``, which maps
方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体 and 宋体 (and their Windows names) to the CJK
fonts Debian ships, so Chinese is never drawn as boxes.

PDF is optional at run time: without LibreOffice :class:`PdfUnavailable` carries a Chinese
message the views and commands show as is. Debian packages: libreoffice-writer-nogui
fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai (and poppler-utils for the tests).
"""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

FONTCONFIG_FILE = Path(settings.BASE_DIR) / "deploy" / "fontconfig" / "fonts.conf"


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed: PDF output is switched off, .docx still works."""


class PdfConversionError(RuntimeError):
    """LibreOffice ran but did not produce a PDF for some input."""


def soffice_path():
    """The soffice executable, or None. ``JIFEN_SOFFICE`` in settings overrides the search."""
    configured = getattr(settings, "JIFEN_SOFFICE", None)
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available():
    return soffice_path() is not None


def _environment():
    env = dict(os.environ)
    if FONTCONFIG_FILE.exists():
        env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def convert_files(docx_paths, out_dir, *, timeout=None):
    """Convert every path in ``docx_paths`` to PDF in ``out_dir`` with ONE soffice process.

    Returns the PDF paths in input order. Raises :class:`PdfUnavailable` without LibreOffice
    and :class:`PdfConversionError` naming the files that produced no PDF.
    """
    docx_paths = [Path(p) for p in docx_paths]
    if not docx_paths:
        return []
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(
            _("服务器未安装 LibreOffice，暂不能生成 PDF；Word 文档（.docx）不受影响。"
              "管理员可安装 libreoffice-writer-nogui 和中文字体后启用 PDF。")
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [p.stem for p in docx_paths]
    if len(set(names)) != len(names):
        raise PdfConversionError(_("同一批次中有重名文件，PDF 会互相覆盖。"))
    timeout = timeout or 60 + 2 * len(docx_paths)
    with tempfile.TemporaryDirectory(prefix="jifen-lo-") as profile:
        command = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir),
            *[str(p) for p in docx_paths],
        ]
        try:
            result = subprocess.run(
                command, env=_environment(), capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfConversionError(
                _("LibreOffice 转换 %(n)s 个文件超时（%(t)s 秒）。") % {"n": len(docx_paths), "t": timeout}
            ) from None
    pdfs = [out_dir / f"{p.stem}.pdf" for p in docx_paths]
    missing = [p.name for p, pdf in zip(docx_paths, pdfs) if not pdf.exists()]
    if missing:
        raise PdfConversionError(
            _("以下文件未能转换为 PDF：%(files)s（LibreOffice 输出：%(err)s）")
            % {"files": "、".join(missing), "err": result.stderr.decode(errors="replace")[-500:]}
        )
    return pdfs


def convert_bytes(named_docx, *, timeout=None):
    """``{name: docx bytes}`` → ``{name: pdf bytes}``, all in one soffice process."""
    with tempfile.TemporaryDirectory(prefix="jifen-pdf-") as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        paths = []
        for name, data in named_docx.items():
            path = src / f"{name}.docx"
            path.write_bytes(data)
            paths.append(path)
        pdfs = convert_files(paths, Path(tmp) / "out", timeout=timeout)
        return {name: pdf.read_bytes() for name, pdf in zip(named_docx, pdfs)}
