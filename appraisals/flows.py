"""Year-end evaluation (年终评定) as viewflow processes (DOMAIN.md section 3).

YearEndFlow, one process per organisation and cycle::

    start ─► appraisal ─► compute_results ─► branch_proposal ─► higher_approval ─► check_approved
               ▲                                                                     │ (approved)
               └──────────────────────────────(returned)─────────────────────────────┤
                                                                                      ▼
      appraisal ◄─(an objection upheld: the branch corrects)─ reopen ◄─ check_upheld ◄─ objections_answered
                                                                              │ (none upheld)     ▲
                                                                              ▼                   │
                        end ◄─ use_of_results ◄─ close_publicity      close_window ◄─ publicity_window ◄─ publicity
                                    │ (one DisposalFlow per dispose / cancel_probation)
                                    ▼
DisposalFlow, one process per disposition the higher committee must approve::

    start ─► branch_decision ─► higher_decision ─► check_rectification ─(限期改正 approved)─►
             rectification_period (timer: period end) ─► rectification_review ─► end
                                                        └─(otherwise)─► end

Objections against the publicised results run through reviews' ObjectionFlow, as those
against quarterly results do (``appraisals.services.objections``); the results become final
only once every objection of the publicity is answered, and an upheld one sends the
evaluation back to the branch, to be corrected, approved and publicised again.

Every transition goes through ``appraisals.services.*`` (permission, validation, audit,
documents); the nodes here only call those functions. The publicity window and the end of
a rectification period are viewflow database timers fired by ``workflow.tasks.fire_timers``;
each asks its domain date again when it comes due (``workflow.timers``) and waits on if early.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflow.nodes import RoleView
from workflow.permissions import TreeFlow, branch_secretary, branch_staff, higher_reviewer
from workflow.timers import DueTimer

from . import views
from .services import compute, dispositions, evaluations, objections, uses
from .models import DisposalProcess, DispositionStatus, EvaluationStatus, YearEndProcess


class YearEndFlow(TreeFlow):
    """年终评定

    民主评议 → 计算结果 → 支部提出等次 → 上级审批 → 公示 → 结果运用。
    """

    process_class = YearEndProcess
    process_title = _("年终评定")
    process_summary_template = "{{ process.evaluation }} · {{ process.evaluation.get_status_display }}"

    start = (
        flow.StartHandle(this.open_evaluation)
        .Annotation(title=_("书记发起年终评定"))
        .Next(this.appraisal)
    )

    appraisal = (
        RoleView(views.appraisal_task)
        .Annotation(title=_("民主评议"), description=_("录入每名党员的民主测评票数或得分，完成后计算结果。"))
        .Allowed(branch_staff)
        .Next(this.compute_results)
    )

    compute_results = (
        flow.Function(this.compute)
        .Annotation(title=_("按方案计算结果"))
        .Next(this.branch_proposal)
    )

    branch_proposal = (
        RoleView(views.proposal_task)
        .Annotation(title=_("支部提出等次意见"), description=_("书记核对结果和检查提示，确认等次后报上级审批。"))
        .Allowed(branch_secretary)
        .Next(this.higher_approval)
    )

    higher_approval = (
        RoleView(views.higher_approval_task)
        .Annotation(title=_("上级党组织审批"), description=_("同意后公示；不同意则退回支部修改。"))
        .Allowed(higher_reviewer)
        .Next(this.check_approved)
    )

    check_approved = (
        flow.If(this.was_approved)
        .Annotation(title=_("上级是否同意"))
        .Then(this.publicity)
        .Else(this.appraisal)
    )

    publicity = (
        flow.Function(this.start_publicity)
        .Annotation(title=_("结果公示"))
        .Next(this.publicity_window)
    )

    publicity_window = (
        DueTimer(this.publicity_closes_at)
        .Annotation(title=_("公示期（不少于7天）"))
        .Next(this.close_window)
    )

    close_window = (
        flow.Function(this.end_window)
        .Annotation(title=_("公示期满"))
        .Next(this.objections_answered)
    )

    objections_answered = (
        flow.ConditionalCatch(this.all_objections_answered)
        .Annotation(title=_("异议全部答复"))
        .Next(this.check_upheld)
    )

    check_upheld = (
        flow.If(this.has_upheld_objections)
        .Annotation(title=_("是否有成立的异议"))
        .Then(this.reopen)
        .Else(this.close_publicity)
    )

    reopen = (
        flow.Function(this.reopen_for_correction)
        .Annotation(title=_("异议成立，退回支部更正"))
        .Next(this.appraisal)
    )

    close_publicity = (
        flow.Function(this.publish)
        .Annotation(title=_("公示期满，结果公布"))
        .Next(this.use_of_results)
    )

    use_of_results = (
        flow.Function(this.use_results)
        .Annotation(title=_("结果运用"), description=_("表彰、谈话、整改、处置；生成结果通知等公文。"))
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("完成"))

    def open_evaluation(self, activation, evaluation):
        activation.process.evaluation = evaluation
        return activation.process

    def compute(self, activation):
        compute.flow_compute(activation.process, activation.task)

    def was_approved(self, activation):
        activation.process.evaluation.refresh_from_db()
        return activation.process.evaluation.status == EvaluationStatus.APPROVED

    def start_publicity(self, activation):
        evaluations.flow_start_publicity(activation.process, activation.task)

    def publicity_closes_at(self, activation):
        activation.process.evaluation.refresh_from_db()
        return activation.process.evaluation.publicity_closes_at

    def end_window(self, activation):
        objections.flow_end_window(activation.process, activation.task)

    def all_objections_answered(self, activation):
        return not objections.publicity_objections(activation.process.evaluation).filter(
            answered_on__isnull=True).exists()

    def has_upheld_objections(self, activation):
        return objections.upheld(activation.process.evaluation).exists()

    def reopen_for_correction(self, activation):
        objections.flow_reopen(activation.process, activation.task)

    def publish(self, activation):
        evaluations.flow_close_publicity(activation.process, activation.task)

    def use_results(self, activation):
        uses.flow_use_results(activation.process, activation.task)


class DisposalFlow(TreeFlow):
    """不合格党员处置

    支部决定并请示 → 上级党组织批复 → 限期改正的，整改期满记录结果。
    """

    process_class = DisposalProcess
    process_title = _("不合格党员处置")
    process_summary_template = "{{ process.disposition }}"

    start = (
        flow.StartHandle(this.open_disposal)
        .Annotation(title=_("结果运用：需上级审批的处置"))
        .Next(this.branch_decision)
    )

    branch_decision = (
        RoleView(views.disposal_decision_task)
        .Annotation(title=_("支部决定并请示"), description=_("支部大会表决处置意见，向上级党组织请示。"))
        .Allowed(branch_secretary)
        .Next(this.higher_decision)
    )

    higher_decision = (
        RoleView(views.disposal_review_task)
        .Annotation(title=_("上级党组织批复"), description=_("批准或不批准支部的处置意见。"))
        .Allowed(higher_reviewer)
        .Next(this.check_rectification)
    )

    check_rectification = (
        flow.If(this.in_rectification)
        .Annotation(title=_("是否限期改正"))
        .Then(this.rectification_period)
        .Else(this.end)
    )

    rectification_period = (
        DueTimer(this.rectification_due)
        .Annotation(title=_("整改期"))
        .Next(this.rectification_review)
    )

    rectification_review = (
        RoleView(views.rectification_outcome_task)
        .Annotation(title=_("整改期满，记录整改结果"))
        .Allowed(branch_secretary)
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("完成"))

    def open_disposal(self, activation, disposition):
        activation.process.disposition = disposition
        return activation.process

    def in_rectification(self, activation):
        activation.process.disposition.refresh_from_db()
        return activation.process.disposition.status == DispositionStatus.IN_RECTIFICATION

    def rectification_due(self, activation):
        activation.process.disposition.refresh_from_db()
        return dispositions.rectification_due(activation.process.disposition)
