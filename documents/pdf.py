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
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

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


def _kill_group(process):
    """SIGKILL the whole process group of ``process`` (soffice, oosplash and soffice.bin) and reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a SIGKILLed group always exits
        logger.error("soffice process group %s did not exit after SIGKILL", process.pid)


def _run_supervised(command, timeout):
    """Run ``command`` in a new session (its own process group); ``(returncode, stderr)``.

    On a timeout the whole group is killed (``soffice`` starts ``oosplash``, which starts
    ``soffice.bin``: killing only the first left the last converting, and writing its
    files, for 43–101 s after the error had been reported), then
    ``subprocess.TimeoutExpired`` is raised.
    """
    process = subprocess.Popen(
        command, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise
    except BaseException:
        _kill_group(process)
        raise
    return process.returncode, err


def convert_files(docx_paths, out_dir, *, timeout=None):
    """Convert every path in ``docx_paths`` to PDF in ``out_dir`` with ONE soffice process.

    Returns the PDF paths in input order. Raises :class:`PdfUnavailable` without LibreOffice
    and :class:`PdfConversionError` naming the files that produced no PDF, or the timeout
    (default 60 s + 2 s per file, ``JIFEN_PDF_TIMEOUT`` seconds if set). LibreOffice writes
    into a private folder that is moved into ``out_dir`` only on success: a timed-out
    conversion has its whole process group killed and leaves no file behind.
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
    timeout = timeout or getattr(settings, "JIFEN_PDF_TIMEOUT", None) or 60 + 2 * len(docx_paths)
    with tempfile.TemporaryDirectory(prefix="jifen-lo-") as work:
        profile, staging = Path(work) / "profile", Path(work) / "out"
        staging.mkdir()
        command = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(staging),
            *[str(p) for p in docx_paths],
        ]
        try:
            _code, stderr = _run_supervised(command, timeout)
        except subprocess.TimeoutExpired:
            raise PdfConversionError(
                _("LibreOffice 转换 %(n)s 个文件超时（%(t)s 秒），已终止转换进程。") % {"n": len(docx_paths), "t": timeout}
            ) from None
        missing = [p.name for p in docx_paths if not (staging / f"{p.stem}.pdf").exists()]
        if missing:
            raise PdfConversionError(
                _("以下文件未能转换为 PDF：%(files)s（LibreOffice 输出：%(err)s）")
                % {"files": "、".join(missing), "err": stderr.decode(errors="replace")[-500:]}
            )
        pdfs = []
        for p in docx_paths:
            target = out_dir / f"{p.stem}.pdf"
            shutil.move(str(staging / f"{p.stem}.pdf"), target)
            pdfs.append(target)
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
