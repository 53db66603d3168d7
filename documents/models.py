"""Stored documents, their numbers and bulk jobs.

A generated document is evidence: the county office prints it, seals it and files it, so
what was issued must never change afterwards. :class:`GeneratedDocument` therefore refuses
to update its content fields once written and cannot be deleted through the ORM; a
corrected document is a new *version* of the same subject, keeping its 发文字号.

发文字号 are numbered per organisation and year without gaps (``东街党支〔2025〕3号``).
:class:`DocumentNumberSequence` holds the last number; it is locked with
``select_for_update`` and incremented in the same transaction that inserts the document,
so a rolled-back request gives its number back and two concurrent requests cannot share one.

An organisation's seal (:class:`Seal`, a PNG with transparency) is pressed on the notices it
issues; every use is logged (:class:`SealUse`, 用印登记). Every rendered document's SHA-256
enters its organisation's document chain (:class:`DocumentChainEntry`, see
:mod:`documents.chain`), which ``manage.py verify_ledger`` checks with the ledger.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS
from .storage import private_storage

KIND_CHOICES = [(k.key, k.description) for k in KINDS.values()]


class ImmutableDocumentError(Exception):
    """Raised when code tries to change or delete an issued document."""


class DocumentNumberSequence(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT,
        related_name="document_sequences",
    )
    year = models.PositiveIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="documents_one_sequence_per_org_year"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.last_number}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("待生成")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class GeneratedDocumentQuerySet(models.QuerySet):
    def delete(self):
        raise ImmutableDocumentError(str(_("已生成的公文不能删除。")))

    def update(self, **kwargs):
        forbidden = set(kwargs) & set(GeneratedDocument.CONTENT_FIELDS + GeneratedDocument.WRITE_ONCE_FIELDS)
        if forbidden:
            raise ImmutableDocumentError(
                str(_("已生成的公文不能修改：%(fields)s")) % {"fields": "、".join(sorted(forbidden))}
            )
        if set(kwargs) & set(GeneratedDocument.OUTCOME_FIELDS):
            # The outcome (rendered or failed) is set once: only pending documents take it.
            return super(GeneratedDocumentQuerySet, self.filter(status=DocumentStatus.PENDING)).update(**kwargs)
        return super().update(**kwargs)

    def write_file_once(self, pk, **fields):
        """Set the write-once file fields of a document that has none yet, in one UPDATE.

        The ``sha256=""`` and pending-status conditions make the write-once rule hold at the
        database, even for two workers racing on a redelivered task, and keep a document
        recorded as failed failed (it is retried as a new version). Returns True when this
        call wrote.
        """
        return models.QuerySet.update(self.filter(pk=pk, sha256="", status=DocumentStatus.PENDING), **fields) == 1


def _document_path(instance, filename):
    return f"documents/{instance.organisation_id}/{instance.number_year or 'x'}/{filename}"


class GeneratedDocument(models.Model):
    """One version of one formal document, with the exact data it was rendered from."""

    #: Fields fixed at creation. ``file``/``sha256``/``size`` are written once by the renderer.
    CONTENT_FIELDS = (
        "kind", "organisation_id", "subject_key", "version", "document_number", "number_year",
        "number_seq", "context", "sanitised", "triggered_by_id", "process_id", "task_id",
        "bulk_job_id", "bulk_index", "member_id", "seal_id", "created_at",
    )
    WRITE_ONCE_FIELDS = ("file", "sha256", "size")
    #: Set once, when rendering succeeds or fails; a failed document is retried as a new version.
    OUTCOME_FIELDS = ("status", "error")

    kind = models.CharField(_("公文类型"), max_length=40, choices=KIND_CHOICES)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("发文组织"), on_delete=models.PROTECT,
        related_name="generated_documents",
    )
    subject_key = models.CharField(
        _("对象标识"), max_length=120,
        help_text=_("同一对象（如某轮审核、某党员某年度）的公文再次生成时成为新版本。"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    document_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    number_year = models.PositiveIntegerField(_("编号年度"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("年度序号"), null=True, blank=True)
    context = models.JSONField(_("生成数据"))
    sanitised = models.JSONField(_("已替换的控制字符"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    error = models.TextField(_("错误信息"), blank=True)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=_document_path, max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("字节数"), null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("触发人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Generic links to the viewflow process and task that asked for the document. Plain
    # integers rather than foreign keys: the documents app must not depend on flows.
    process_id = models.PositiveBigIntegerField(_("流程"), null=True, blank=True, db_index=True)
    task_id = models.PositiveBigIntegerField(_("任务"), null=True, blank=True)
    bulk_job = models.ForeignKey(
        "BulkJob", verbose_name=_("批量任务"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
    )
    #: The item of ``bulk_job`` this document was issued for (1-based): one document per item,
    #: so a redelivered job (its worker killed) resumes instead of issuing a second version.
    bulk_index = models.PositiveIntegerField(_("批量序号"), null=True, blank=True)
    #: The member the document is addressed to (a result notice, a registration card…): that
    #: member's own user account may download it.
    member = models.ForeignKey(
        "members.Member", verbose_name=_("收文党员"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
    )
    #: The seal pressed on it (the issuing organisation's seal in use when it was requested).
    seal = models.ForeignKey(
        "Seal", verbose_name=_("印章"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    objects = GeneratedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation", "subject_key", "version"], name="documents_one_version_number",
            ),
            models.UniqueConstraint(
                fields=["organisation", "number_year", "number_seq"],
                condition=models.Q(number_seq__isnull=False) & models.Q(version=1),
                name="documents_unique_doc_number",
            ),
            models.UniqueConstraint(
                fields=["bulk_job", "bulk_index"], condition=models.Q(bulk_index__isnull=False),
                name="documents_one_document_per_bulk_item",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.document_number or self.pk} v{self.version}"

    # -- immutability ---------------------------------------------------------------------
    def save(self, *args, **kwargs):
        if self.pk and not kwargs.get("force_insert"):
            stored = type(self).objects.filter(pk=self.pk).values(
                *self.CONTENT_FIELDS, *self.WRITE_ONCE_FIELDS, *self.OUTCOME_FIELDS
            ).first()
            if stored is not None:
                changed = [f for f in self.CONTENT_FIELDS if getattr(self, f) != stored[f]]
                if stored["status"] != DocumentStatus.PENDING:
                    changed += [f for f in self.OUTCOME_FIELDS if getattr(self, f) != stored[f]]
                changed += [
                    f for f in self.WRITE_ONCE_FIELDS
                    if stored[f] not in ("", None) and _plain(getattr(self, f)) != stored[f]
                ]
                if changed:
                    raise ImmutableDocumentError(
                        str(_("已生成的公文不能修改：%(fields)s；如需更正请重新生成新版本。"))
                        % {"fields": "、".join(changed)}
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError(str(_("已生成的公文不能删除。")))

    @property
    def kind_description(self):
        return str(KINDS[self.kind].description) if self.kind in KINDS else self.kind

    @property
    def kind_name(self):
        """The document's plain name (``公示通知``), without the description's bracketed gloss."""
        return str(KINDS[self.kind].title) if self.kind in KINDS else self.kind

    def download_name(self):
        label = self.document_number or f"{self.pk}"
        return f"{self.kind_name}-{label}-v{self.version}.docx"


def _plain(value):
    """A FieldFile compares by its stored name."""
    return getattr(value, "name", value)


class BulkStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BulkJob(models.Model):
    """One clerk's request to generate a kind for many members, with visible progress."""

    kind = models.CharField(_("公文类型"), max_length=40, choices=KIND_CHOICES)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="bulk_jobs",
    )
    items = models.JSONField(_("生成对象"), default=list)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=BulkStatus.choices, default=BulkStatus.PENDING)
    failures = models.JSONField(_("失败明细"), default=list, blank=True)
    with_pdf = models.BooleanField(_("同时生成 PDF"), default=False)
    pdf_error = models.TextField(_("PDF 错误"), blank=True)
    zip_file = models.FileField(_("压缩包"), storage=private_storage, upload_to="bulk/", max_length=255, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    #: When a worker last reported progress; a job queued or running without progress for
    #: ``JIFEN_STALE_AFTER_SECONDS`` is re-queued by the sweep (``documents.sweep``).
    heartbeat_at = models.DateTimeField(_("最近进展时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量生成任务")
        verbose_name_plural = _("批量生成任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.total} ({self.get_status_display()})"


# -- seals ------------------------------------------------------------------------------------


def _seal_path(instance, filename):
    return f"seals/{instance.organisation_id}/{instance.sha256}.png"


class Seal(models.Model):
    """An organisation's seal image (PNG with transparency), pressed on the notices it issues.

    Uploading a new seal retires the previous one (``retired_at``); documents keep the seal
    they were issued with. Never deleted: the 用印登记 refers to it.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="seals",
    )
    image = models.FileField(_("印章图片"), storage=private_storage, upload_to=_seal_path, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width_px = models.PositiveIntegerField(_("宽（像素）"))
    height_px = models.PositiveIntegerField(_("高（像素）"))
    diameter_mm = models.PositiveSmallIntegerField(_("印章直径（毫米）"), default=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("印章")
        verbose_name_plural = _("印章")
        ordering = ["organisation", "-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.organisation} {self.uploaded_at:%Y-%m-%d}"

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError(str(_("印章及其用印登记不能删除。")))


class SealUse(models.Model):
    """用印登记: one use of a seal — which document, its number, who, when. Append-only."""

    seal = models.ForeignKey(Seal, verbose_name=_("印章"), on_delete=models.PROTECT, related_name="uses")
    document = models.OneToOneField(
        GeneratedDocument, verbose_name=_("公文"), on_delete=models.PROTECT, related_name="seal_use",
    )
    kind = models.CharField(_("公文类型"), max_length=40, choices=KIND_CHOICES)
    document_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    version = models.PositiveIntegerField(_("版本"))
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用印人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    used_at = models.DateTimeField(_("用印时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("用印登记")
        verbose_name_plural = _("用印登记")
        ordering = ["-used_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.document_number or self.document_id} {self.used_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ImmutableDocumentError(str(_("用印登记只能追加，不能修改。")))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError(str(_("用印登记只能追加，不能删除。")))


# -- the document chain ---------------------------------------------------------------------


class DocumentChainEntry(models.Model):
    """One issued document's SHA-256 in its organisation's hash chain (format: :mod:`documents.chain`)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("发文组织"), on_delete=models.PROTECT,
        related_name="document_chain",
    )
    seq = models.PositiveIntegerField(_("序号"))
    document = models.OneToOneField(
        GeneratedDocument, verbose_name=_("公文"), on_delete=models.PROTECT, related_name="chain_entry",
    )
    document_sha256 = models.CharField(_("公文 SHA-256"), max_length=64)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64)
    entry_hash = models.CharField(_("本条哈希"), max_length=64)
    recorded_at = models.DateTimeField(_("记入时间"))

    class Meta:
        verbose_name = _("公文哈希链")
        verbose_name_plural = _("公文哈希链")
        ordering = ["organisation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="documents_chain_unique_seq"),
        ]

    def __str__(self):
        return f"{self.organisation_id}#{self.seq} {self.document_id} {self.document_sha256[:12]}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ImmutableDocumentError(str(_("公文哈希链只能追加，不能修改。")))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError(str(_("公文哈希链只能追加，不能删除。")))


class DocumentChainHead(models.Model):
    """The last entry of an organisation's document chain (locked while appending)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, primary_key=True, related_name="document_chain_head",
    )
    seq = models.PositiveIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("公文哈希链链头")
        verbose_name_plural = _("公文哈希链链头")
