from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import text

# Installed while the app registry is being filled, before any models.py or admin.py is imported, so
# that forms built at import time (the admin's, viewflow's, every app's) carry the validator too.
text.install_form_validator()


class SafeguardsConfig(AppConfig):
    name = "safeguards"
    verbose_name = _("输入与导出防护")
