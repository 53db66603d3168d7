"""The document kinds (DOMAIN.md section 6): one module per formal document a step produces.

Each module holds the kind's ``SPEC`` (template, required keys, sample), its
``build_template()`` and its ``build_context(records…)``; :mod:`documents.kinds.base`
describes the contract. To add a kind: write its module, list it in ``MODULES``, run
``python manage.py build_templates`` and ``makemigrations documents`` (the kind is a
choice of ``GeneratedDocument.kind``), and call ``request_document(<key>, …,
context=<module>.build_context(…))`` from the step that issues it.
"""
from django.utils.translation import gettext_lazy as _

from . import (
    commendation,
    correction_notice,
    disposal_approval,
    disposal_request,
    explanation,
    filing_report,
    household_card,
    meeting_record,
    objection_answer,
    objection_receipt,
    probation_cancellation,
    publicity_notice,
    rectification_notice,
    redemption_receipt,
    registration_card,
    result_notice,
    star_certificate,
    summary_table,
    talk_notice,
    year_end_publicity,
)
from .base import COMMON_KEYS, DocumentKind

#: Every kind's module, in the order kinds are listed (``render_document --list``, choices).
MODULES = (
    registration_card,
    summary_table,
    meeting_record,
    filing_report,
    publicity_notice,
    correction_notice,
    objection_receipt,
    objection_answer,
    explanation,
    year_end_publicity,
    result_notice,
    commendation,
    talk_notice,
    rectification_notice,
    disposal_request,
    disposal_approval,
    probation_cancellation,
    star_certificate,
    household_card,
    redemption_receipt,
)

#: key → :class:`DocumentKind`
KINDS = {module.SPEC.key: module.SPEC for module in MODULES}
#: key → the kind's ``build_template`` (a :class:`documents.gbt9704.Builder` factory)
TEMPLATE_BUILDERS = {module.SPEC.key: module.build_template for module in MODULES}


def get_kind(key):
    """The registered kind, or a ValueError naming the unknown key and the known ones."""
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(
            str(_("未知的公文类型“%(key)s”。可用类型：%(known)s"))
            % {"key": key, "known": "、".join(sorted(KINDS))}
        ) from None


__all__ = ["COMMON_KEYS", "KINDS", "MODULES", "TEMPLATE_BUILDERS", "DocumentKind", "get_kind"]
