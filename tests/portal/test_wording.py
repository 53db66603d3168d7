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


def test_the_dashboard_tables_tags_escape_names_and_draw_points():
    from decimal import Decimal
    from types import SimpleNamespace

    from portal.templatetags.jifen_ui import options, table_rows

    rows = [{"name": "<b>第一支部</b>", "members": 3, "total": Decimal("-2.50"), "average": Decimal("10.00")}]
    html = table_rows(rows, "name", "num:members", "points:total", "points:average")
    assert html == ('<tr><td>&lt;b&gt;第一支部&lt;/b&gt;</td><td class="num">3</td><td class="num">-2.5</td>'
                    '<td class="num">10</td></tr>')
    class Org(SimpleNamespace):
        def __str__(self):
            return self.name

    orgs = [Org(pk=1, name="县委"), Org(pk=2, name="A&B")]
    assert options(orgs, orgs[1]) == '<option value="1">县委</option><option value="2" selected>A&amp;B</option>'
