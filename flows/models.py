"""Workflow process rows: one viewflow process per review round and per objection."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class ReviewRoundProcess(Process):
    """The workflow of one ``reviews.ReviewRound`` (支部审核 → 上级备案 → 公示 → 台账)."""

    review_round = models.OneToOneField(
        "reviews.ReviewRound", verbose_name=_("审核批次"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("积分审核流程")
        verbose_name_plural = _("积分审核流程")

    @property
    def organisation(self):
        return self.review_round.organisation


class ObjectionProcess(Process):
    """The workflow of one ``reviews.Objection`` (受理 → 支部答复 → 上级备案; 逾期督办)."""

    objection = models.OneToOneField(
        "reviews.Objection", verbose_name=_("异议"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("异议处理流程")
        verbose_name_plural = _("异议处理流程")

    @property
    def organisation(self):
        return self.objection.declaration.review_round.organisation
