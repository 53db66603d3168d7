"""Thin adapters to the neighbouring apps (documents, ledger, schemes).

The review chain calls these functions rather than the other apps directly, so the
contract it relies on is written down in one place:

* ``documents.services.request_document(kind, *, organisation, context, triggered_by,
  process, task, subject_key)`` queues a formal document for a step;
* ``ledger.services.post_entry(...)`` / ``post_correction(entry, new_points, reason, by)``
  write the append-only ledger;
* the schemes app, when it can, supplies a rule item's points and a scheme's publicity days
  and period; until it does, the declaration's own values are used.
"""

#: The document each step leaves (keys of documents.kinds.KINDS).
DOC_MEETING_RECORD = "meeting_record"
DOC_FILING_REPORT = "filing_report"
DOC_PUBLICITY_NOTICE = "publicity_notice"
DOC_OBJECTION_RECEIPT = "objection_receipt"
DOC_OBJECTION_ANSWER = "objection_answer"
DOC_EXPLANATION = "explanation"
DOC_SUMMARY_TABLE = "summary_table"


def request_document(kind, *, organisation, context, triggered_by=None, process=None, task=None, subject_key=None):
    """Queue the step's document; rendering happens after the transaction commits."""
    from documents.services import request_document as _request

    return _request(
        kind,
        organisation=organisation,
        context=context,
        triggered_by=triggered_by,
        process=process,
        task=task,
        subject_key=subject_key,
    )


def post_entry(**kwargs):
    from ledger.services import post_entry as _post

    return _post(**kwargs)


def post_correction(entry, new_points, reason, by):
    from ledger.services import post_correction as _correct

    return _correct(entry, new_points, reason, by)


def scheme_settings(organisation, on_date):
    """``{"publicity_days": int, "period_kind": str, "rural": bool}`` for the scheme in force.

    Falls back to the provincial defaults (7 days, quarterly, not rural) while no scheme
    lookup is available for the organisation.
    """
    defaults = {"publicity_days": 7, "period_kind": "quarter", "rural": False}
    try:
        from schemes import services as scheme_services  # noqa: F401
    except ImportError:
        return defaults
    finder = getattr(scheme_services, "review_settings_for", None)
    if finder is None:
        return defaults
    found = finder(organisation, on_date) or {}
    return {**defaults, **{k: v for k, v in found.items() if v is not None}}


def describe_points(value):
    """Points shown in documents: ``+2``, ``-1.5``, ``0``."""
    value = value.normalize() if value is not None else None
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"+{text}" if value > 0 else text


__all__ = [
    "request_document",
    "post_entry",
    "post_correction",
    "scheme_settings",
    "describe_points",
]
