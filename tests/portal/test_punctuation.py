"""English text uses half-width punctuation: the templates' own punctuation goes through the catalogue.

Full-width punctuation written in a template outside a {% blocktranslate %} (whose text is
translated whole) is Chinese on an English page ("Scheme：…"); each mark is
``{% translate "：" context "punctuation" %}``, English ": ".
"""
import re
from pathlib import Path

from django.template.base import tag_re
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent.parent
FULL_WIDTH = re.compile(r"[：（）；，、。]")


def _ui_text(source):
    """The template's literal text outside tags, blocktranslate blocks, comments and <style>."""
    depth, texts = 0, []
    for index, part in enumerate(tag_re.split(re.sub(r"<style.*?</style>", "", source, flags=re.S))):
        if index % 2:
            word = (part[2:-2].split() or [""])[0] if part.startswith("{%") else ""
            depth += {"blocktranslate": 1, "blocktrans": 1, "endblocktranslate": -1, "endblocktrans": -1,
                      "comment": 1, "endcomment": -1}.get(word, 0)
        elif depth == 0:
            texts.append(part)
    return "".join(texts)


def test_no_full_width_punctuation_outside_the_catalogue():
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in path.parts:
            continue
        for mark in FULL_WIDTH.findall(_ui_text(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(ROOT)}: {mark}")
    assert not found, "\n".join(found[:50])


def test_punctuation_is_half_width_in_english():
    with translation.override("en"):
        assert [translation.pgettext("punctuation", m) for m in "：（）；，、。"] == [
            ": ", " (", ")", "; ", ", ", ", ", ". "]
    with translation.override("zh-hans"):
        assert translation.pgettext("punctuation", "：") == "："
