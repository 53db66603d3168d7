"""Trial 4: a year end of the demo under the town's scheme in force grades its members sensibly.

The town's scheme (county-7-3 with its daily items, ``reviews.demo_scheme``) was added after the
demo rounds, whose declarations of this year stayed under base/bonus/deduction: a year end of
this year then scored 日常行为积分 0 for everyone (or refused the entries) and sent all 12 of
东街 to 不合格党员处置, 10 优秀 votes or not.
"""
import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from appraisals.services import evaluations, findings
from members.models import MemberKind
from organisations.models import Organisation
from reviews.models import Declaration, Objection
from schemes.models import SchemeVersion
from workdays.clock import local_today

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]
FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST
def test_demo_declarations_follow_the_scheme_in_force_and_a_year_end_grades_sensibly():
    call_command("load_demo", force=True, stdout=io.StringIO())
    town = Organisation.objects.get(code="demo-chengguan")
    declared = Declaration.objects.filter(member__organisation__path__startswith=town.path).exclude(
        member__kind=MemberKind.HOUSEHOLD).select_related("member__organisation")
    under_scheme = 0
    for declaration in declared:
        version = SchemeVersion.objects.in_force(declaration.member.organisation, declaration.occurred_on)
        if version is not None and version.scheme.organisation_id == town.pk:
            scheme = version.engine_scheme()
            assert declaration.component in scheme.component_index, declaration
            assert declaration.rule_item in scheme.component(declaration.component).items
            under_scheme += 1
    assert under_scheme or local_today().month <= 3  # in the first quarter the demo rounds are of last year
    # the objectors' words quoted in the papers: a party member is not called 该户
    party = Objection.objects.exclude(declaration__member__kind=MemberKind.HOUSEHOLD)
    assert party.exists() and not party.filter(reason__contains="该户").exists()

    for code in ("demo-dongjie", "demo-qingshi"):
        branch = Organisation.objects.get(code=code)
        secretary = branch.roles.get(kind="secretary").user
        evaluation = evaluations.open_evaluation(organisation=branch, by=secretary)
        assert evaluation.cycle_start == datetime.date(local_today().year, 1, 1)
        assert evaluation.scheme_version.scheme.organisation == town
        assert findings.ledger_findings(evaluation) == []
        members, _excluded = evaluations.evaluated_members(evaluation)
        for member in members:
            evaluations.record_appraisal(evaluation, member, secretary,
                                         votes={"优秀": 10, "良好": 0, "合格": 0, "差": 0})
        evaluations.finish_appraisal(evaluation, secretary)
        grades = {r.grade for r in evaluation.results.all()}
        assert "不合格" not in grades and not evaluation.dispositions.filter(action="dispose").exists(), (code, grades)
