"""Text built from data reads in the page's language: lists, bracketed notes and points amounts.

An English page joined step names with ``、`` ("Answer overdue、Branch answers") and bracketed a
decision note or a grid name with ``（…）``; ``workdays.wording`` takes the marks from the
catalogue's ``punctuation`` context, and points read without trailing zeros everywhere.
"""
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from members.models import Member
from reviews.models import Declaration, DeclarationStatus
from reviews.timeline import declaration_timeline
from reviews.views.recording import MemberEventForm
from tests.world import declare
from workdays.wording import bracketed, join_list, points_text, signed_points_text, with_note

ROOT = Path(__file__).resolve().parent.parent.parent


def test_lists_and_notes_follow_the_language():
    with translation.override("en"):
        assert join_list(["Answer overdue", "Branch answers", ""]) == "Answer overdue, Branch answers"
        assert with_note("Adjusted +2", "sign-in sheet") == "Adjusted +2 (sign-in sheet)"
        assert Template("{% load jifen_ui %}{{ xs|list_join }}").render(Context({"xs": ["a", "b"]})) == "a, b"
    with translation.override("zh-hans"):
        assert join_list(["张三", "李四"]) == "张三、李四"
        assert with_note("万继红", "青石村第一网格") == "万继红（青石村第一网格）"
        assert bracketed("") == ""


def test_points_read_without_trailing_zeros():
    assert [points_text(v) for v in (Decimal("2.00"), Decimal("2.50"), Decimal("-2.00"), "0.00")] == [
        "2", "2.5", "-2", "0"]
    assert [signed_points_text(v) for v in (Decimal("2.00"), Decimal("-2.50"))] == ["+2", "-2.5"]


def test_no_list_is_joined_with_a_chinese_mark_in_a_template_or_a_view():
    """``join:"、"`` in a template or ``"、".join(`` in a view/service writes 、 on English pages too."""
    allowed = {"reviews/demo.py", "reviews/services/meeting.py", "reviews/views/meeting.py",  # stored minutes text
               "scoring_engine/engine.py", "scoring_engine/declarations.py",  # bilingual engine messages
               "notifications/tasks.py"}
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")) + sorted(ROOT.glob("**/templates/**/*.html")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.split("/")[0] in {".venv", "tests", "var", "documents"} or rel in allowed:  # documents are Chinese
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}: {m}" for m in re.findall(r"""join:["']、["']|["']、["']\.join\(""", text)]
    assert not found, "\n".join(found)


def test_recording_form_names_the_grid_in_english_brackets():
    form = MemberEventForm(members=Member.objects.none())
    member = SimpleNamespace(name="Wan Jihong", organisation=SimpleNamespace(name="Grid 1"))
    with translation.override("en"):
        assert form.fields["member"].label_from_instance(member) == "Wan Jihong (Grid 1)"


def test_timeline_note_of_an_adjusted_declaration_in_english(county):
    d = declare(county, points="2")
    Declaration.objects.filter(pk=d.pk).update(status=DeclarationStatus.ADJUSTED, decided_points=Decimal("2.00"),
                                               decision_reason="签到记录")
    d.refresh_from_db()
    with translation.override("en"):
        note = next(s["note"] for s in declaration_timeline(d) if s["key"] == "meeting")
    assert note.endswith("+2 (签到记录)"), note
