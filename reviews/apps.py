from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("申报与审核")

    def ready(self):
        # Registers the flows with workflow.permissions (the timer sweep and the Site read them).
        from workdays.signals import calendar_changed
        from workflow.history import task_event

        from . import deadlines, flows  # noqa: F401
        from .task_audit import record_task_event

        calendar_changed.connect(deadlines.recompute_deadlines, dispatch_uid="reviews.recompute_deadlines")
        task_event.connect(record_task_event, dispatch_uid="reviews.task_audit")
