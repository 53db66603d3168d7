"""The document chain: every issued document's SHA-256, hash-chained per organisation.

When a document's file is stored (:func:`documents.services.store_rendered`), in the same
transaction, :func:`append` adds a :class:`~documents.models.DocumentChainEntry` after the
organisation's last one. ``manage.py verify_ledger`` walks every chain with
:func:`verify_chain` (next to the points ledger), and the public page ``/verify/<id>``
checks one entry.

Canonical form hashed into ``entry_hash`` (format version 1), as for the ledger::

    sha256( UTF-8 bytes of
        json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) )

    payload = {
        "v": 1,
        "organisation": <organisation id, int>,
        "seq": <int, 1, 2, 3 … without gaps>,
        "document": <GeneratedDocument id, int>,
        "kind": <str>, "document_number": <str, "" when unnumbered>, "version": <int>,
        "sha256": <the document file's SHA-256, 64 lowercase hex>,
        "recorded_at": "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds),
        "prev_hash": <64 lowercase hex; "0" * 64 for seq 1>,
    }

What is detected: a changed file (its bytes no longer hash to the recorded SHA-256), a
changed ``GeneratedDocument.sha256`` (no longer the chain's), an edited, removed or
reordered entry (recomputed hash, ``prev_hash`` link, ``seq`` gap) and entries removed from
the end (the head row).
"""
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation

from .models import DocumentChainEntry, DocumentChainHead

GENESIS_HASH = "0" * 64
FORMAT_VERSION = 1


def canonical_payload(entry, document):
    recorded_at = entry.recorded_at
    if recorded_at.tzinfo is not None:
        recorded_at = recorded_at.astimezone(datetime.UTC).replace(tzinfo=None)
    return {
        "v": FORMAT_VERSION,
        "organisation": entry.organisation_id,
        "seq": entry.seq,
        "document": entry.document_id,
        "kind": document.kind,
        "document_number": document.document_number,
        "version": document.version,
        "sha256": entry.document_sha256,
        "recorded_at": recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev_hash": entry.prev_hash,
    }


def compute_hash(entry, document):
    """The entry's hash, recomputed from its content and its document's kind, number and version."""
    data = json.dumps(canonical_payload(entry, document), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _locked_head(organisation_id):
    queryset = DocumentChainHead.objects.select_for_update()
    try:
        return queryset.get(organisation_id=organisation_id)
    except DocumentChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                DocumentChainHead.objects.create(organisation_id=organisation_id, seq=0, entry_hash=GENESIS_HASH)
        except IntegrityError:
            pass  # created by a concurrent append; lock theirs
        return queryset.get(organisation_id=organisation_id)


def append(document):
    """Add ``document`` (rendered: ``sha256`` set) to its organisation's chain; returns the entry.

    Must run inside the transaction that stores the file: the head row is locked until it
    ends, so concurrent renders of one organisation queue here and seqs have no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("documents.chain.append must run inside transaction.atomic()")
    head = _locked_head(document.organisation_id)
    entry = DocumentChainEntry(
        organisation_id=document.organisation_id, seq=head.seq + 1, document=document,
        document_sha256=document.sha256, prev_hash=head.entry_hash, recorded_at=timezone.now(),
    )
    entry.entry_hash = compute_hash(entry, document)
    entry.save(force_insert=True)
    head.seq, head.entry_hash = entry.seq, entry.entry_hash
    head.save(update_fields=["seq", "entry_hash"])
    return entry


@dataclass
class Problem:
    """The first problem found in one organisation's document chain."""

    organisation: object
    seq: int | None
    document_id: int | None
    problem: str  # "seq", "content", "link", "document", "file", "head"
    detail: str

    def __str__(self):
        where = f"seq={self.seq} document={self.document_id}" if self.seq is not None else _("（无对应记录）")
        return _("组织 %(code)s（%(name)s）公文哈希链 %(where)s：%(detail)s") % {
            "code": self.organisation.code, "name": self.organisation.name, "where": where, "detail": self.detail}


@dataclass
class ChainReport:
    organisation: object
    entries: int
    head_seq: int
    head_hash: str
    problem: Problem | None

    @property
    def ok(self):
        return self.problem is None


def file_sha256(document):
    """SHA-256 of the stored file's bytes, or ``None`` when the file is missing."""
    try:
        with document.file.storage.open(document.file.name, "rb") as handle:
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except (FileNotFoundError, ValueError):
        return None
    return digest.hexdigest()


def check_entry(entry, *, prev_hash=None, read_file=True):
    """``(problem code, detail)`` for the first thing wrong with one entry, or ``None``.

    ``prev_hash``: the previous entry's stored hash, when the caller walks the chain.
    """
    document = entry.document
    if compute_hash(entry, document) != entry.entry_hash:
        return "content", _("记录内容与哈希不符（记录被改动）")
    if prev_hash is not None and entry.prev_hash != prev_hash:
        return "link", _("prev_hash 与上一条记录的哈希不符（记录被替换、删除或顺序被改动）")
    if document.sha256 != entry.document_sha256:
        return "document", _("公文记录的 SHA-256（%(doc)s）与哈希链中的（%(chain)s）不符") % {
            "doc": document.sha256, "chain": entry.document_sha256}
    if read_file:
        actual = file_sha256(document)
        if actual is None:
            return "file", _("公文文件缺失")
        if actual != entry.document_sha256:
            return "file", _("公文文件已被改动：按文件重算 SHA-256 为 %(actual)s") % {"actual": actual}
    return None


def verify_chain(organisation, *, read_files=True):
    """Walk ``organisation``'s document chain in seq order; stop at the first problem."""
    expected_prev, count, last = GENESIS_HASH, 0, None
    entries = DocumentChainEntry.objects.filter(organisation=organisation).select_related("document").order_by("seq")
    for entry in entries.iterator(chunk_size=500):
        count += 1
        if entry.seq != count:
            detail = _("序号不连续：应为 %(e)s，实为 %(a)s") % {"e": count, "a": entry.seq}
            return ChainReport(organisation, count, entry.seq, entry.entry_hash,
                               Problem(organisation, entry.seq, entry.document_id, "seq", detail))
        found = check_entry(entry, prev_hash=expected_prev, read_file=read_files)
        if found is not None:
            return ChainReport(organisation, count, entry.seq, entry.entry_hash,
                               Problem(organisation, entry.seq, entry.document_id, *found))
        expected_prev, last = entry.entry_hash, entry
    head = DocumentChainHead.objects.filter(organisation=organisation).first()
    last_seq, last_hash = (last.seq, last.entry_hash) if last else (0, GENESIS_HASH)
    recorded = (head.seq, head.entry_hash) if head else (0, GENESIS_HASH)
    if recorded != (last_seq, last_hash):
        detail = _("链头记录与最后一条记录（seq=%(s)s）不符：末尾的记录被删除，或链头被改动") % {"s": last_seq}
        return ChainReport(organisation, count, last_seq, last_hash,
                           Problem(organisation, None, None, "head", detail))
    return ChainReport(organisation, count, last_seq, last_hash, None)


def organisations_with_documents():
    ids = set(DocumentChainEntry.objects.values_list("organisation_id", flat=True).distinct())
    ids |= set(DocumentChainHead.objects.values_list("organisation_id", flat=True))
    return Organisation.objects.filter(pk__in=ids).order_by("path")


def verify_all(organisations=None, *, read_files=True):
    """One :class:`ChainReport` per organisation with a document chain (or per one given)."""
    if organisations is None:
        organisations = organisations_with_documents()
    return [verify_chain(o, read_files=read_files) for o in organisations]
