"""The organisation tree and the roles people hold in it.

Every permission in jifen follows the tree: a role held on an organisation covers that
organisation and everything below it (its subtree), never its parent or siblings. The
tree is stored as a materialised path (``/1/4/9/``) so a subtree is one indexed
``startswith`` query, whatever its depth.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("党委/党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("行政村")
    GRID = "grid", _("网格")
    SCHOOL = "school", _("学校")
    ENTERPRISE = "enterprise", _("企业")


class Organisation(models.Model):
    """A node of the tree: 县委 → 党总支 → 党支部 → 党小组, or 乡镇 → 行政村 → 网格."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(
        _("发文机关代字"),
        max_length=20,
        blank=True,
        help_text=_("用于发文字号，例如“城关党支”。"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    code = models.SlugField(_("编码"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk:
            self._check_not_below_itself(self._parent_path_from_db())

    def _parent_path_from_db(self):
        """The parent's stored path; an in-memory parent may be stale after a move."""
        if not self.parent_id:
            return "/"
        return Organisation.objects.filter(pk=self.parent_id).values_list("path", flat=True).get()

    def _check_not_below_itself(self, parent_path):
        if self.pk and f"/{self.pk}/" in parent_path:
            raise ValidationError({"parent": _("上级组织不能是本组织或其下级组织。")})

    def save(self, *args, **kwargs):
        with transaction.atomic():
            # Read the current path from the database, not from this instance: an instance
            # loaded before an ancestor moved still carries the old path.
            old_path = ""
            if self.pk:
                old_path = Organisation.objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""
            parent_path = self._parent_path_from_db()
            self._check_not_below_itself(parent_path)
            if not self.pk or not old_path:
                super().save(*args, **kwargs)
                kwargs.pop("force_insert", None)
            self.path = f"{parent_path}{self.pk}/"
            if kwargs.get("update_fields") is not None:
                # save(update_fields=["parent"]) must still store the recomputed path.
                kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
            super().save(*args, **{**kwargs, "force_insert": False})
            if old_path and old_path != self.path:
                # Moving a node moves its whole subtree, in one statement.
                Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1), output_field=models.CharField())
                )

    @property
    def depth(self):
        return self.path.count("/") - 2

    def subtree(self):
        """This organisation and every organisation below it."""
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self):
        """Every organisation above this one, the root first."""
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        by_id = Organisation.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other):
        """True when this organisation is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    def reviewing_organisation(self):
        """The organisation whose review rounds take up declarations about members here.

        A 网格 holds no rounds of its own: the village above it audits its households (户积分
        "一月一审核" by the 村“两委”, 篇十六 l.1239), so a grid answers its nearest ancestor
        that is not a grid. Every other organisation answers itself.
        """
        if self.kind != OrganisationKind.GRID:
            return self
        return next((o for o in reversed(self.ancestors()) if o.kind != OrganisationKind.GRID), self)

    def village(self):
        """The nearest 行政村 at or above this organisation, or None."""
        if self.kind == OrganisationKind.VILLAGE:
            return self
        return next((o for o in reversed(self.ancestors()) if o.kind == OrganisationKind.VILLAGE), None)


class RoleKind(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    COMMITTEE_MEMBER = "committee_member", _("支委/委员")
    CLERK = "clerk", _("专人记分")
    REVIEWER = "reviewer", _("上级审查人")
    GRID_WORKER = "grid_worker", _("网格员")
    CASHIER = "cashier", _("兑换员")


class Role(models.Model):
    """A user's role on one organisation; it covers that organisation's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="org_roles"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("角色"), max_length=20, choices=RoleKind.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "kind"], name="unique_role_per_org"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_kind_display()}"


class Delegation(models.Model):
    """委派: a role holder names a deputy who acts with that role from ``starts_at`` until ``ends_at``.

    While active (not revoked, ``starts_at`` ≤ now < ``ends_at``) the deputy holds the
    principal's role on ``organisation`` for every permission check (``permissions``), and the
    principal's tasks are offered to the deputy. Rows are kept after they end (history).
    """

    organisation = models.ForeignKey(Organisation, verbose_name=_("组织"), on_delete=models.CASCADE,
                                     related_name="delegations")
    kind = models.CharField(_("委派的角色"), max_length=20, choices=RoleKind.choices)
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("委派人"), on_delete=models.CASCADE,
                                  related_name="delegations_given")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受委派人"), on_delete=models.CASCADE,
                               related_name="delegations_received")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    reason = models.CharField(_("事由"), max_length=200)
    created_at = models.DateTimeField(_("委派时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("收回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("委派")
        verbose_name_plural = _("委派")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="delegation_period_ordered"),
        ]

    def __str__(self):
        return f"{self.principal} → {self.deputy} · {self.organisation} · {self.get_kind_display()}"
