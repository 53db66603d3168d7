"""年终评定结果公示: every member's year-end score and grade, put up for the scheme's days."""
import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from ..links import board_url
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    cn_count,
    contact,
    contact_text,
    in_chinese,
    plain_points,
    year_label,
)
from .result_notice import approver

SPEC = DocumentKind(
    key="year_end_publicity",
    description=gettext_lazy("年终评定结果公示"),
    template="year_end_publicity.docx",
    required=("year", "approver_name", "window_start", "window_end", "rows", "contact"),
    rows={"rows": ("name", "total", "result")},
    dates=("window_start", "window_end"),
    numbered=True, banner=True, signed=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-10", "doc_number": "东街党支〔2026〕1号",
        "year": 2025, "approver_name": SAMPLE_HIGHER, "window_start": "2026-01-10", "window_end": "2026-01-16",
        "contact": "联系人：王芳，联系电话：0731-85551234",
        "board_url": "http://127.0.0.1:8000/public/dongjie/",
        "rows": [
            {"name": "张红梅", "total": "92.5", "result": "优秀"},
            {"name": "刘志强", "total": "68", "result": "基本合格"},
            {"name": "孙建华", "total": "0", "result": "不合格（一票否决）"},
        ],
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于", "{{ year }}年度", "党员积分评定结果", "的公示"])
    b.para(L.STYLE_ADDRESSEE, "各位党员、群众：")
    b.body("根据党员积分制管理有关规定，经民主评议、支部审议，并报{{ approver_name }}同意，"
           "现将{{ org_name }}{{ year }}年度党员积分评定结果予以公示。")
    b.body("公示时间：{{ window_start|cn_date }}至{{ window_end|cn_date }}。")
    # The public board takes year-end objections online, as it does quarterly ones: the same route
    # is printed (a context stored before board_url keeps its old sentence).
    b.body("公示期间，如对评定结果有异议，{% if board_url is defined and board_url %}"
           "可以书面、电话或通过公示栏（{{ board_url }}）向支部提出，支部将在7个工作日内答复"
           "{% else %}可以书面或电话向支部反映{% endif %}。{{ contact }}。")
    b.table(["序号", "姓名", "年度积分", "评定结果"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.total }}", "{{ r.result }}"],
            [18, 40, 40, 58], loop="r in rows")
    b.body("特此公示。")
    b.signature()
    b.imprint()
    return b


def result_text(result):
    """``优秀``, ``五星级``, ``合格（一票否决）``… as the result states it; ``—`` when it states nothing."""
    parts = [result.grade] if result.grade else []
    if result.stars:
        parts.append(_("%(n)s星级") % {"n": cn_count(result.stars)})
    if result.vetoed:
        return _("%(result)s（一票否决）") % {"result": "，".join(parts)} if parts else _("一票否决")
    return "，".join(parts) or "—"


@in_chinese
def build_context(evaluation):
    """The publicity of ``evaluation``'s results (an ``appraisals.Evaluation`` the higher committee agreed).

    Every member's result, highest total first (then by name); the window is
    ``publicity_start`` for ``publicity_days`` natural days; the committee that agreed the
    results is named; the branch secretary is the contact (:func:`~documents.kinds.base.contact`);
    ``board_url``: the branch's public board, where objections are also taken online
    (:func:`documents.links.board_url`, from ``JIFEN_PUBLIC_BASE_URL``).
    """
    start = evaluation.publicity_start
    end = start + datetime.timedelta(days=evaluation.publicity_days - 1)
    higher = approver(evaluation)
    person, phone = contact(evaluation.organisation, evaluation.opened_by)
    results = evaluation.results.select_related("member").order_by("-total", "member__name")
    return {
        "year": year_label(evaluation),
        "approver_name": higher.name if higher else _("上级党组织"),
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "contact": contact_text(person, phone),
        "board_url": board_url(evaluation.organisation),
        "rows": [{"name": r.member.name, "total": plain_points(r.total), "result": result_text(r)} for r in results],
    }
