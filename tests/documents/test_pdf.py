"""PDF via LibreOffice: Chinese must come out as Chinese (embedded CJK fonts, extractable text).

Skipped with a reason when LibreOffice or poppler-utils are missing; CI installs
libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai poppler-utils.
"""
import shutil
import subprocess
from pathlib import Path

import pytest

from documents import pdf
from documents.rendering import render_document_bytes, sample_context

needs_soffice = pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice (soffice) is not installed")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdftoppm")), reason="poppler-utils is not installed"
)
CJK_FONT_HINTS = ("CJK", "UMing", "UKai", "Ming", "Kai")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    if not pdf.pdf_available():
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("pdf")
    sources = []
    for key in ("publicity_notice", "disposal_request", "registration_card"):
        path = out / f"{key}.docx"
        path.write_bytes(render_document_bytes(key, sample_context(key)))
        sources.append(path)
    return dict(zip(["publicity_notice", "disposal_request", "registration_card"], pdf.convert_files(sources, out / "pdf")))


def _run(*args):
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


@needs_soffice
@needs_poppler
def test_notice_pdf_embeds_cjk_fonts_and_has_the_chinese_title(converted, tmp_path):
    notice = converted["publicity_notice"]
    fonts = _run("pdffonts", str(notice)).splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    names = [line.split()[0] for line in fonts]
    assert any(any(h in n for h in CJK_FONT_HINTS) for n in names), names
    for line in fonts:  # every font embedded, so the printed page matches the screen
        assert " yes " in f" {line} ", line
    text = _run("pdftotext", "-layout", str(notice), "-")
    squeezed = "".join(text.split())
    assert "关于2025年第一季度党员积分情况的公示" in squeezed
    assert "中共城关镇东街社区支部委员会" in squeezed
    assert "公示时间：2025年4月10日至2025年4月16日" in squeezed
    assert "□" not in text
    # the red banner's top edge 35 mm below the top of the text block (GB/T 9704 7.2.3)
    import re

    bbox = _run("pdftotext", "-f", "1", "-l", "1", "-bbox", str(notice), "-")
    first = re.search(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]+)</word>', bbox)
    assert first.group(2) == "中共城关镇东街社区支部委员会"
    assert abs(float(first.group(1)) / (72 / 25.4) - (37 + 35)) < 2
    # rasterise the first page: a non-blank image that is A4-shaped
    _run("pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(notice), str(tmp_path / "page"))
    (png,) = tmp_path.glob("page*.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert abs(height / width - 297 / 210) < 0.02
    # the same page as raw RGB (PPM): red banner and separator in the top half, black text below
    _run("pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(notice), str(tmp_path / "raw"))
    (ppm,) = tmp_path.glob("raw*.ppm")
    raw = ppm.read_bytes()
    magic, w, h, maxval, pixels = raw.split(maxsplit=4)
    w, h = int(w), int(h)
    assert magic == b"P6" and maxval == b"255" and len(pixels) == w * h * 3

    def count(rows, test):
        n = 0
        for y in rows:
            row = pixels[y * w * 3:(y + 1) * w * 3]
            n += sum(1 for i in range(0, len(row), 3) if test(row[i], row[i + 1], row[i + 2]))
        return n

    red = count(range(0, h // 2), lambda r, g, b: r > 180 and g < 90 and b < 90)
    dark = count(range(2 * h // 5, h), lambda r, g, b: r < 100 and g < 100 and b < 100)
    assert red > 200 and dark > 200, (red, dark)


@needs_soffice
@needs_poppler
def test_every_pdf_of_the_batch_was_written(converted):
    for key, path in converted.items():
        assert path.exists() and path.read_bytes()[:5] == b"%PDF-", key
        info = _run("pdfinfo", str(path))
        assert "A4" in info or "595" in info, key


@needs_soffice
def test_one_soffice_process_per_batch(tmp_path, monkeypatch):
    calls = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):
        calls.append(command)
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "Popen", counting_popen)
    sources = []
    for i in range(3):
        path = tmp_path / f"n{i}.docx"
        path.write_bytes(render_document_bytes("result_notice", sample_context("result_notice")))
        sources.append(path)
    pdfs = pdf.convert_files(sources, tmp_path / "out")
    assert len(calls) == 1 and all(p.exists() for p in pdfs)
    assert calls[0].count("--convert-to") == 1 and sum(str(s) in calls[0] for s in sources) == 3


def test_missing_libreoffice_gives_a_chinese_message(monkeypatch, settings, tmp_path):
    settings.JIFEN_SOFFICE = str(tmp_path / "no-such-soffice")
    assert not pdf.pdf_available()
    path = tmp_path / "a.docx"
    path.write_bytes(b"x")
    with pytest.raises(pdf.PdfUnavailable, match="未安装 LibreOffice"):
        pdf.convert_files([path], tmp_path)


def test_fontconfig_maps_every_standard_face():
    conf = Path(pdf.FONTCONFIG_FILE).read_text(encoding="utf-8")
    for face in ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "FangSong", "KaiTi", "SimHei", "SimSun"):
        assert f"<string>{face}</string>" in conf or f"<family>{face}</family>" in conf, face
    if shutil.which("fc-match"):
        import os

        env = {**os.environ, "FONTCONFIG_FILE": str(pdf.FONTCONFIG_FILE)}
        for face in ("仿宋_GB2312", "黑体", "楷体_GB2312"):
            family = subprocess.run(["fc-match", "-f", "%{family}", face], env=env, capture_output=True, text=True).stdout
            if "CJK" in subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout:
                assert any(h in family for h in CJK_FONT_HINTS), (face, family)


@needs_soffice
@pytest.mark.django_db
def test_bulk_job_adds_pdfs_from_one_conversion(branch, monkeypatch):
    import io
    import zipfile

    from documents import services

    from .conftest import notice_context

    calls = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):
        calls.append(command)
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "Popen", counting_popen)
    items = [{"context": notice_context(member_name=f"党员{i}")} for i in range(3)]
    job = services.start_bulk_job("result_notice", organisation=branch, items=items, with_pdf=True)
    job = services.run_bulk(job.pk)
    assert job.pdf_error == "" and len(calls) == 1
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = sorted(archive.namelist())
    assert names == ["00001-党员0.docx", "00001-党员0.pdf", "00002-党员1.docx", "00002-党员1.pdf",
                     "00003-党员2.docx", "00003-党员2.pdf"]


@pytest.mark.django_db
@pytest.mark.urls("tests.documents.urls")
def test_pdf_download_without_libreoffice_says_so(client, branch, clerk, settings, tmp_path,
                                                  django_capture_on_commit_callbacks):
    from django.urls import reverse

    from documents import services

    from .conftest import notice_context

    with django_capture_on_commit_callbacks(execute=True):
        doc = services.request_document("result_notice", organisation=branch, context=notice_context())
    settings.JIFEN_SOFFICE = str(tmp_path / "missing-soffice")
    client.force_login(clerk)
    response = client.get(reverse("documents:download", args=[doc.pk]) + "?format=pdf")
    assert response.status_code == 503
    assert "未安装 LibreOffice" in response.content.decode()


@needs_soffice
@needs_poppler
def test_libreoffice_lays_out_22_lines_of_28_characters(tmp_path):
    """The whole point of the 28.95 pt grid and the −0.25 pt condensing: a full page of body
    text in LibreOffice has exactly 22 lines of exactly 28 characters (GB/T 9704 5.2.2)."""
    ctx = sample_context("result_notice")
    ctx["remark"] = "党" * (28 * 60)  # one paragraph, long enough to fill page 2 completely
    src = tmp_path / "grid.docx"
    src.write_bytes(render_document_bytes("result_notice", ctx))
    (out,) = pdf.convert_files([src], tmp_path)
    page2 = _run("pdftotext", "-f", "2", "-l", "2", str(out), "-")
    lines = [line for line in page2.splitlines() if "党" in line]
    assert [len(line) for line in lines] == [28] * 22
    assert "—2—" in "".join(page2.split())  # even page number, in 一字线

    # Page numbers: odd right and even left, one 4号 character (14 pt) in from the block's
    # edge, their top 7 mm below the block (GB/T 9704 7.5.1). Coordinates in points.
    import re

    mm = 72 / 25.4
    bbox = _run("pdftotext", "-bbox", str(out), "-")
    pages = bbox.split("<page ")[1:]
    dashes = []
    for page in pages[:2]:
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">—</word>', page)
        footer = [(float(x0), float(y0), float(x1)) for x0, y0, x1 in words if float(y0) > 700]
        dashes.append(footer)
    odd, even = dashes
    assert abs(max(x1 for _, _, x1 in odd) - ((210 - 26) * mm - 14)) < 2
    assert abs(min(x0 for x0, _, _ in even) - (28 * mm + 14)) < 2
    top = min(y0 for _, y0, _ in odd)
    assert abs((297 * mm - top) / mm - (35 - 7)) < 1.5


@needs_soffice
def test_render_document_command_writes_a_pdf(tmp_path):
    import io

    from django.core.management import call_command

    out = tmp_path / "notice.docx"
    buffer = io.StringIO()
    call_command("render_document", "talk_notice", "--sample", "--out", str(out), "--pdf", stdout=buffer)
    assert (tmp_path / "notice.pdf").read_bytes()[:5] == b"%PDF-"
    assert "notice.pdf" in buffer.getvalue()


@needs_soffice
@pytest.mark.django_db
@pytest.mark.urls("tests.documents.urls")
def test_pdf_download(client, branch, clerk, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from documents import services

    from .conftest import notice_context

    with django_capture_on_commit_callbacks(execute=True):
        doc = services.request_document("result_notice", organisation=branch, context=notice_context())
    client.force_login(clerk)
    response = client.get(reverse("documents:download", args=[doc.pk]) + "?format=pdf")
    refusal = getattr(response, "content", b"")[:300]
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", refusal
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert ".pdf" in response["Content-Disposition"]


def _processes_in_group(pgid):
    """Live (non-zombie) pids whose process group is ``pgid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            state, _ppid, group = stat.rsplit(")", 1)[1].split()[:3]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if int(group) == pgid and state != "Z":
            found[int(entry.name)] = cmdline
    return found


@needs_soffice
def test_a_timed_out_conversion_kills_every_soffice_process_and_leaves_no_file(tmp_path, monkeypatch):
    """soffice starts oosplash, which starts soffice.bin; on a timeout none of them may survive
    (the whole process group is killed) and no PDF may appear afterwards.

    The timeout is made to strike while soffice.bin is converting: the conversion's wait
    first polls until soffice.bin runs, then times out (as a slow batch would)."""
    import time

    started = []
    real_popen = subprocess.Popen

    def recording_popen(command, *args, **kwargs):
        process = real_popen(command, *args, **kwargs)
        started.append((process, command))
        real_communicate = process.communicate

        def communicate(input=None, timeout=None):
            if len(started) == 1 and not getattr(process, "_timed_out", False):
                process._timed_out = True
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    if any("soffice.bin" in cmd for cmd in _processes_in_group(process.pid).values()):
                        break
                    time.sleep(0.05)
                else:
                    pytest.fail("soffice.bin never started")
                raise subprocess.TimeoutExpired(command, timeout)
            return real_communicate(input=input, timeout=timeout)

        process.communicate = communicate
        return process

    monkeypatch.setattr(pdf.subprocess, "Popen", recording_popen)
    notice = render_document_bytes("publicity_notice", sample_context("publicity_notice"))
    sources = []
    for i in range(40):
        path = tmp_path / f"slow{i}.docx"
        path.write_bytes(notice)
        sources.append(path)
    out = tmp_path / "out"
    with pytest.raises(pdf.PdfConversionError, match="超时"):
        pdf.convert_files(sources, out, timeout=5)
    ((process, command),) = started
    profile = next(part for part in command if part.startswith("-env:UserInstallation="))
    assert process.returncode is not None  # reaped
    assert _processes_in_group(process.pid) == {}
    assert _processes_in_group_any(profile) == {}
    time.sleep(4)  # a surviving soffice.bin would go on converting and write PDFs by now
    assert _processes_in_group_any(profile) == {}
    assert not out.exists() or list(out.iterdir()) == []
    assert not Path(profile.split("file://", 1)[1]).exists()


def _processes_in_group_any(needle):
    """Live pids whose command line contains ``needle`` (any process group)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if needle in cmdline and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def test_supervision_kills_grandchildren_that_outlive_their_parent():
    """The mechanism, without LibreOffice: a child that starts a grandchild (as oosplash
    starts soffice.bin) and is killed on timeout must take the grandchild with it."""
    import random
    import time

    nap = f"sleep 300.{random.randrange(10**6):06d}"  # this run's grandchild, told apart from any other sleep
    command = ["sh", "-c", f"{nap} & echo started; wait"]
    with pytest.raises(subprocess.TimeoutExpired):
        pdf._run_supervised(command, timeout=1)
    time.sleep(0.2)
    assert _processes_in_group_any(nap) == {}
