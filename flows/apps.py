from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    name = "flows"
    verbose_name = _("审批流程")

    def ready(self):
        from . import year_end  # noqa: F401  (the year-end flows live in their own module)
