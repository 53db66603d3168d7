from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = _("年终评定")

    def ready(self):
        # Registers the flows with workflow.permissions (the timer sweep and the Site read them).
        from . import flows  # noqa: F401
