"""The message catalogues: ``locale/<lang>/LC_MESSAGES/django.po`` are the only source of translations.

The compiled ``.mo`` files are committed (``make run`` and ``make test`` need no gettext tools), so
these tests check that each ``.mo`` says what its ``.po`` says, that English mode has English for
every Chinese source string, and that the catalogues list exactly the strings the code marks.
"""
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from . import po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "zh_Hans")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _po(lang, root=ROOT / "locale"):
    return root / lang / "LC_MESSAGES" / "django.po"


def _active(path):
    """(context, msgid, msgid_plural) of the catalogue's live entries (no header, no obsolete ones)."""
    return {(e.context, e.msgid, e.msgid_plural) for e in po.entries(path) if e.msgid and not e.obsolete}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_committed_mo_matches_po(lang):
    with _po(lang).with_suffix(".mo").open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)._catalog
    compiled = {k: v for k, v in compiled.items() if k != ""}  # the header
    source = po.catalog(_po(lang))
    stale = sorted(str(k) for k in set(compiled.items()) ^ set(source.items()))
    assert not stale, f"{lang}: django.mo differs from django.po (run `make messages`): {stale[:10]}"


def test_english_translates_every_chinese_string():
    gaps = [(e.context, e.msgid) for e in po.entries(_po("en"))
            if CJK.search(e.msgid) and not e.obsolete and not e.translated]
    assert not gaps, f"untranslated or fuzzy in locale/en/LC_MESSAGES/django.po: {gaps[:20]}"


def test_our_catalogue_translates_viewflow_interface():
    """viewflow ships its zh_Hans catalogue empty; ours comes first in LOCALE_PATHS and fills it."""
    with translation.override("zh-hans"):
        assert translation.gettext("Inbox") == "待办"
        assert translation.gettext("Log out") == "退出登录"
        assert translation.pgettext("STATUS", "Done") == "已完成"
    with translation.override("en"):
        assert translation.gettext("Inbox") == "Inbox"
        assert translation.gettext("积分台账") == "Points ledger"


def _source_copy(destination):
    """The files makemessages reads (.py, .html, .txt), without tests/, locale/ and tool directories."""
    skip_dirs = {".git", ".venv", "locale", "tests", "var", "build", "node_modules", "__pycache__"}

    def ignore(directory, names):
        return [n for n in names if n in skip_dirs or n.startswith(".")
                or (Path(directory, n).is_file() and Path(n).suffix not in (".py", ".html", ".txt"))]

    shutil.copytree(ROOT, destination, ignore=ignore)


def test_catalogues_list_exactly_the_strings_of_the_code(tmp_path, monkeypatch):
    """Extract afresh (our makemessages) into a scratch directory and compare the msgids."""
    if not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge", "msgcat")):
        pytest.skip("GNU gettext tools (xgettext, msgmerge …) are not installed")
    source = tmp_path / "src"
    _source_copy(source)
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0)
    extracted = _active(_po("en", source / "locale"))
    assert len(extracted) > 1000, "the extraction found the project's strings"
    for lang in LANGUAGES:
        catalogue = _active(_po(lang))
        missing, gone = sorted(extracted - catalogue, key=str), sorted(catalogue - extracted, key=str)
        assert not (missing or gone), (
            f"locale/{lang}: run `make messages`; not in the catalogue: {missing[:10]}; no longer in the code: {gone[:10]}")
