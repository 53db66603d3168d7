"""The review chain's errors carry a field and a code (``reviews.errors``), whatever the language."""
import ast
import io
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from reviews.errors import ReviewErrorCode
from reviews.services import declarations, meeting
from workflow.steps import StepConflict

from scoring_engine.errors import DECLARATION_CODES
from tests.world import declare, open_round, quorate_meeting

REVIEWS = Path(__file__).resolve().parents[2] / "reviews"
#: The callables a service may raise: the coded error builders (``declaration_error`` turns the
#: scheme's refusal into one), and PermissionDenied.
ALLOWED_RAISES = {"error", "step_conflict", "declaration_error", "PermissionDenied"}


def _raises(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            call = node.exc
            name = getattr(call.func, "id", getattr(call.func, "attr", None)) if isinstance(call, ast.Call) else None
            yield node.lineno, name


def test_services_raise_only_coded_errors_or_permission_denied():
    files = sorted((REVIEWS / "services").glob("*.py")) + [REVIEWS / "integration.py", REVIEWS / "evidence.py"]
    seen = 0
    bad = []
    for path in files:
        for line, name in _raises(path):
            seen += 1
            if name not in ALLOWED_RAISES:
                bad.append(f"{path.name}:{line} raises {name}")
    assert seen > 60 and bad == []


def test_every_code_is_raised_somewhere_and_nothing_else_is():
    """Codes are raised as ``Code.NAME`` in reviews/, or passed on from the scheme's refusals."""
    used = set()
    for path in REVIEWS.rglob("*.py"):
        if "migrations" not in path.parts:
            used |= {n.attr for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Code"}
    used |= {code.upper() for code in DECLARATION_CODES}
    assert used == set(ReviewErrorCode.__members__)


def _only(exc):
    """``(field, code)`` of a ValidationError holding exactly one error."""
    (field, errors), = exc.error_dict.items()
    (error,) = errors
    return field, error.code


def test_decision_errors_name_their_field_in_english(county):
    d = declare(county, points="2")
    rr = open_round(county)
    quorate_meeting(county, rr)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            meeting.decide_declaration(d, county.clerk, "adjusted", points="2.5", reason="")
        assert _only(caught.value) == ("reason", ReviewErrorCode.DECISION_REASON_MISSING)
        assert caught.value.messages == ["An adjustment needs a reason."]
        with pytest.raises(ValidationError) as caught:
            meeting.decide_declaration(d, county.clerk, "adjusted", points="1.234", reason="核实")
        assert _only(caught.value) == ("decided_points", ReviewErrorCode.POINTS_TOO_PRECISE)
        with pytest.raises(ValidationError) as caught:
            meeting.decide_declaration(d, county.clerk, "maybe", reason="核实")
        assert _only(caught.value) == ("outcome", ReviewErrorCode.OUTCOME_INVALID)


def test_declaration_errors_name_their_field(county):
    with pytest.raises(ValidationError) as caught:
        declare(county, quantity=0)
    assert _only(caught.value) == ("quantity", ReviewErrorCode.INVALID_QUANTITY)
    with pytest.raises(ValidationError) as caught:
        declare(county, points="abc")
    assert _only(caught.value) == ("points", ReviewErrorCode.POINTS_INVALID)
    with pytest.raises(ValidationError) as caught:
        declare(county, evidence=[io.BytesIO(b"MZ not an image")])
    assert _only(caught.value) == ("evidence", ReviewErrorCode.EVIDENCE_TYPE_NOT_ACCEPTED)


def test_whole_step_conflicts_carry_a_code(county):
    rr = open_round(county)
    quorate_meeting(county, rr)
    with pytest.raises(StepConflict) as caught:
        meeting.bulk_approve(rr, county.secretary)
    assert _only(caught.value) == (NON_FIELD_ERRORS, ReviewErrorCode.NOTHING_TO_APPROVE)
    d = declare(county)
    declarations.withdraw_declaration(d, county.clerk)
    with pytest.raises(ValidationError) as caught:
        declarations.withdraw_declaration(d, county.clerk)
    assert _only(caught.value) == (NON_FIELD_ERRORS, ReviewErrorCode.DECLARATION_ALREADY_DECIDED)
