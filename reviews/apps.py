from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("申报与审核")

    def ready(self):
        # Registers the flows with workflow.permissions (the timer sweep and the Site read them).
        from . import flows  # noqa: F401
