from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _standard_categories(sender, apps=None, **kwargs):
    """After every migrate and every flush (which sends ``post_migrate`` as well), the standard member
    categories exist, as content types and permissions do: a flushed database (``manage.py flush``,
    a transactional test's teardown) would otherwise refuse every roster row (类别 unknown)."""
    from .categories import ensure_standard_categories

    try:  # the migration state's model after a migrate; flush sends no state (``apps`` is None)
        category = (apps or sender.apps).get_model("members", "MemberCategory")
    except LookupError:  # migrated backwards past the model
        return
    ensure_standard_categories(category)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("党员与成员")

    def ready(self):
        post_migrate.connect(_standard_categories, sender=self, dispatch_uid="members.standard_categories")
