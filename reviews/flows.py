"""The approval chain as viewflow processes (DOMAIN.md section 2).

ReviewRoundFlow, one process per branch and period::

    start ─► branch_meeting ─► higher_review ─► check_filed ─(returned)─► branch_meeting
                                                   │ (filed)
                                                   ▼
               ┌──────────────────────────────► publicity_window ─► close_window ─► objections_answered
               │                                   ▲                                      │ (every objection answered)
               │                                publicity                                 ▼
               └── republication ◄─(upheld corrections not yet republished)── check_corrections
                                                                                          │ (none)
                                                                                          ▼
                                                                      post_to_ledger ─► end

ObjectionFlow, one process per objection (started by ``reviews.services.objections.lodge_objection``)::

    start ─► answer ─► file_explanation ─► end
               ╎ (non-interrupting timer at the 7-working-day deadline)
               └─► escalate ─► supervise_overdue ─► end_supervision

The human nodes are this app's screens (``reviews.views``); each accepts
``process_pk``/``task_pk`` as viewflow passes them. Every transition goes through ``reviews.services``, which checks the organisation-tree
permission, validates, writes the audit trail and requests the step's document; the flow
nodes here only call those functions. Deadlines are viewflow database timers fired by the
Celery beat task ``workflow.tasks.fire_timers``; never a Celery ETA or countdown. Each timer
asks its domain date again when it comes due (``workflow.timers``): a window closes only once
its last day has passed, an objection escalates only after its answer date.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflow.nodes import QueuedHandle, RoleView
from workflow.permissions import TreeFlow, branch_secretary, branch_staff, higher_reviewer
from workflow.timers import DueTimer

from .models import FilingOutcome, Objection, ObjectionProcess, ReviewRoundProcess
from .services import objections as objection_service
from .services import posting as posting_service
from .services import publicity as publicity_service
from .views import meeting as meeting_views
from .views import rounds as round_views


class ReviewRoundFlow(TreeFlow):
    """积分审核

    支部会议审核 → 上级审查备案 → 公示 → 异议处理 → 记入台账。
    """

    process_class = ReviewRoundProcess
    process_title = _("积分审核")
    process_summary_template = "{{ process.review_round }} · {{ process.review_round.get_status_display }}"

    start = (
        flow.StartHandle(this.open_round)
        .Annotation(title=_("书记发起审核批次"))
        .Next(this.branch_meeting)
    )

    branch_meeting = (
        RoleView(meeting_views.branch_meeting)
        .Annotation(
            title=_("支部会议审核"),
            description=_("召开支部会议（支委会），逐项认定申报，全部认定后报上级审查备案。"),
        )
        .Allowed(branch_secretary)
        .Next(this.higher_review)
    )

    higher_review = (
        RoleView(round_views.filing)
        .Annotation(title=_("上级审查备案"), description=_("上级党组织审查：通过并备案，或退回修改。"))
        .Allowed(higher_reviewer)
        .Next(this.check_filed)
    )

    check_filed = (
        flow.If(this.was_filed)
        .Annotation(title=_("是否备案"))
        .Then(this.publicity)
        .Else(this.branch_meeting)
    )

    publicity = (
        flow.Function(this.start_publicity)
        .Annotation(title=_("公示"))
        .Next(this.publicity_window)
    )

    publicity_window = (
        DueTimer(this.window_closes_at)
        .Annotation(title=_("公示期"))
        .Next(this.close_window)
    )

    close_window = (
        flow.Function(this.close_publicity)
        .Annotation(title=_("公示期满"))
        .Next(this.objections_answered)
    )

    objections_answered = (
        flow.ConditionalCatch(this.all_objections_answered)
        .Annotation(title=_("异议全部答复"))
        .Next(this.check_corrections)
    )

    check_corrections = (
        flow.If(this.has_unpublished_corrections)
        .Annotation(title=_("是否有待公示的更正"))
        .Then(this.republication)
        .Else(this.post_to_ledger)
    )

    republication = (
        flow.Function(this.start_republication)
        .Annotation(title=_("更正结果公示"))
        .Next(this.publicity_window)
    )

    post_to_ledger = (
        QueuedHandle(this.post_scores, on_queue=this.posting_queued)
        .Annotation(title=_("记入积分台账"))
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("完成"))

    # -- node callbacks: each delegates to a reviews.services module -------------------------

    def open_round(self, activation, review_round):
        activation.process.review_round = review_round
        activation.task.owner = review_round.opened_by  # the start step names who opened the round
        return activation.process

    def was_filed(self, activation):
        last = activation.process.review_round.filings.order_by("-review_pass", "-pk").first()
        return last is not None and last.outcome == FilingOutcome.FILED

    def start_publicity(self, activation):
        publicity_service.flow_start_publicity(activation.process, activation.task)

    def window_closes_at(self, activation):
        return activation.process.review_round.current_publicity().closes_at

    def close_publicity(self, activation):
        publicity_service.flow_close_publicity(activation.process, activation.task)

    def all_objections_answered(self, activation):
        return not Objection.objects.filter(
            declaration__review_round=activation.process.review_round_id, answered_on__isnull=True
        ).exists()

    def has_unpublished_corrections(self, activation):
        return publicity_service.unpublished_corrections(activation.process.review_round).exists()

    def start_republication(self, activation):
        publicity_service.flow_start_republication(activation.process, activation.task)

    def posting_queued(self, activation):
        posting_service.flow_posting_queued(activation.process, activation.task)

    def post_scores(self, activation):
        posting_service.flow_post_to_ledger(activation.process, activation.task)


class ObjectionFlow(TreeFlow):
    """异议处理

    受理异议 → 支部7个工作日内答复 → 情况说明报上级备案；逾期未答复由上级督办。
    """

    process_class = ObjectionProcess
    process_title = _("异议处理")
    # The item objected to, not who objected: task lists reach every branch staff member, the member
    # objected against among them (reviews.privacy).
    process_summary_template = "{{ process.objection.subject_label }}"

    start = (
        flow.StartHandle(this.receive)
        .Annotation(title=_("受理异议"))
        .Next(this.answer)
    )

    answer = (
        RoleView(round_views.answer_objection)
        .Annotation(title=_("支部答复异议"), description=_("7个工作日内书面答复异议人。"))
        .Allowed(branch_staff)
        .Quiet()  # reviews.announce.objection_lodged tells the branch, with the answer date
        .OnTimeout(this.answer_deadline, this.escalate, interrupting=False, title=_("答复期限"))
        .Next(this.file_explanation)
    )

    file_explanation = (
        RoleView(round_views.objection_review)
        .Annotation(title=_("情况说明备案"), description=_("上级党组织将支部的情况说明存档备案。"))
        .Allowed(higher_reviewer)
        .Next(this.end)
    )

    escalate = (
        flow.Function(this.mark_overdue)
        .Annotation(title=_("逾期上报"))
        .Next(this.supervise_overdue)
    )

    supervise_overdue = (
        RoleView(round_views.objection_review)
        .Annotation(title=_("上级督办逾期异议"), description=_("支部未在7个工作日内答复，上级党组织督办。"))
        .Allowed(higher_reviewer)
        .Quiet()  # reviews.deadlines.chase tells the reviewers (deadline_missed)
        .Next(this.end_supervision)
    )

    end = flow.End().Annotation(title=_("完成"))
    end_supervision = flow.End().Annotation(title=_("督办完成"))

    def receive(self, activation, objection):
        activation.process.objection = objection
        activation.task.owner = objection.received_by  # staff who took it in; none for one lodged on the board
        return activation.process

    def answer_deadline(self, activation):
        """Midnight after the objection's answer date, read afresh (a calendar change may move it)."""
        return Objection.objects.get(pk=activation.process.objection_id).answer_deadline

    def mark_overdue(self, activation):
        objection_service.flow_mark_overdue(activation.process, activation.task)
