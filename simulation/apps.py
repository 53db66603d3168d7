from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    name = "simulation"
    verbose_name = _("方案试算")
    default_auto_field = "django.db.models.BigAutoField"
