"""不合格党员处置批复: the higher committee's answer to a branch's disposal request."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, SAMPLE_HIGHER, DocumentKind, in_chinese
from .disposal_request import DISPOSALS

#: ``Disposition.status`` after the higher committee refused (``appraisals.models.DispositionStatus.REJECTED``).
REJECTED = "rejected"

SPEC = DocumentKind(
    key="disposal_approval",
    description=gettext_lazy("不合格党员处置批复"),
    template="disposal_approval.docx",
    required=("branch_name", "request_number", "member_name", "disposal", "verdict", "decision_text"),
    numbered=True, banner=True, signed=True,
    choices={"disposal": DISPOSALS},
    sample={
        "org_name": SAMPLE_HIGHER, "issue_date": "2026-08-15", "doc_number": "城关党委〔2026〕21号",
        "branch_name": SAMPLE_BRANCH, "request_number": "东街党支〔2026〕11号", "member_name": "孙建华",
        "disposal": "劝其退党", "verdict": "同意",
        "decision_text": "经研究，同意你支部对孙建华同志作出劝其退党的处置意见。请按规定程序办理，并做好本人思想工作。",
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于", "{{ verdict }}对", "{{ member_name }}同志", "作出{{ disposal }}处置", "的批复"])
    b.para(L.STYLE_ADDRESSEE, "{{ branch_name }}：")
    b.body("你支部《关于对{{ member_name }}同志作出{{ disposal }}处置的请示》（{{ request_number }}）收悉。")
    b.body("{{ decision_text }}")
    b.body("此复。")
    b.signature()
    b.imprint()
    return b


@in_chinese
def build_context(disposition, *, request):
    """The reply to ``disposition``'s request (an ``appraisals.Disposition`` the higher committee decided).

    ``request``: the ``GeneratedDocument`` of the branch's 请示 it answers (its 发文字号 is
    quoted), or ``None``. Approved unless the disposition was refused; the committee's
    comments follow the decision.
    """
    verb = _("不同意") if disposition.status == REJECTED else _("同意")
    decision = _("经研究，%(verb)s你支部对%(name)s同志作出%(m)s的处置意见。") % {
        "verb": verb, "name": disposition.member.name, "m": disposition.measure}
    if disposition.approval_comments:
        decision += disposition.approval_comments
    return {
        "branch_name": disposition.evaluation.organisation.name,
        "member_name": disposition.member.name,
        "request_number": request.document_number if request else "",
        "disposal": disposition.measure,
        "verdict": verb,
        "decision_text": decision,
    }
