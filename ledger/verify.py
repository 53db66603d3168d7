"""Checking each organisation's ledger chain against its hashes (used by ``verify_ledger``)."""
from dataclasses import dataclass

from organisations.models import Organisation

from .models import GENESIS_HASH, ChainHead, LedgerEntry


@dataclass
class Tamper:
    """The first problem found in one organisation's chain."""

    organisation: object
    seq: int | None  # seq of the entry named, None when the chain has no row to name
    entry_id: int | None
    problem: str  # "seq", "content", "link", "head"
    detail: str

    def __str__(self):
        where = f"seq={self.seq} id={self.entry_id}" if self.entry_id is not None else "（无对应记录）"
        return f"组织 {self.organisation.code}（{self.organisation.name}）{where}：{self.detail}"


@dataclass
class ChainReport:
    organisation: object
    entries: int
    head_seq: int
    head_hash: str
    tamper: Tamper | None

    @property
    def ok(self):
        return self.tamper is None


def verify_chain(organisation) -> ChainReport:
    """Walk ``organisation``'s entries in seq order; stop at the first tampered entry.

    Per entry, in this order: (1) its seq is the previous seq + 1 (a gap means rows were
    deleted, or seqs rewritten); (2) its stored ``entry_hash`` equals the hash recomputed
    from its content (an edited field, including seq, organisation or points);
    (3) its ``prev_hash`` equals the previous entry's stored hash (a row removed or
    replaced before it, or the order changed). Finally the last entry must match the
    ``ChainHead`` row (rows removed from the end).
    """
    expected_seq = 0
    expected_prev = GENESIS_HASH
    count = 0
    last = None
    queryset = LedgerEntry.objects.filter(organisation=organisation).order_by("seq")
    for entry in queryset.iterator(chunk_size=2000):
        count += 1
        expected_seq += 1

        def tamper(problem, detail):
            return ChainReport(organisation, count, entry.seq, entry.entry_hash, Tamper(organisation, entry.seq, entry.pk, problem, detail))

        if entry.seq != expected_seq:
            return tamper(
                "seq",
                f"序号不连续：应为 {expected_seq}，实为 {entry.seq}（其前的记录被删除或序号被改动）",
            )
        recomputed = entry.compute_hash()
        if recomputed != entry.entry_hash:
            return tamper(
                "content",
                f"内容与哈希不符（记录被改动）：存储的 entry_hash={entry.entry_hash}，按内容重算={recomputed}；"
                f"当前内容：成员 {entry.member_id}，项目 {entry.component}，分值 {entry.points}",
            )
        if entry.prev_hash != expected_prev:
            return tamper(
                "link",
                f"prev_hash 与上一条记录（seq={expected_seq - 1}）的哈希不符（记录被替换、删除或顺序被改动）："
                f"prev_hash={entry.prev_hash}，应为 {expected_prev}",
            )
        expected_prev = entry.entry_hash
        last = entry

    head = ChainHead.objects.filter(organisation=organisation).first()
    last_seq = last.seq if last else 0
    last_hash = last.entry_hash if last else GENESIS_HASH
    if head is None:
        if last is not None:
            return ChainReport(
                organisation, count, last_seq, last_hash,
                Tamper(organisation, last.seq, last.pk, "head", "缺少链头记录（ChainHead 被删除）"),
            )
    elif (head.seq, head.entry_hash) != (last_seq, last_hash):
        detail = (
            f"链头记录为 seq={head.seq}（{head.entry_hash}），而台账最后一条为 seq={last_seq}"
            f"（{last_hash}）：末尾的记录被删除，或链头被改动"
        )
        return ChainReport(
            organisation, count, last_seq, last_hash,
            Tamper(organisation, last.seq if last else None, last.pk if last else None, "head", detail),
        )
    return ChainReport(organisation, count, last_seq, last_hash, None)


def organisations_with_ledgers():
    ids = set(LedgerEntry.objects.values_list("organisation_id", flat=True).distinct())
    ids |= set(ChainHead.objects.values_list("organisation_id", flat=True))
    return Organisation.objects.filter(pk__in=ids).order_by("path")


def verify_all(organisations=None) -> list[ChainReport]:
    if organisations is None:
        organisations = organisations_with_ledgers()
    return [verify_chain(organisation) for organisation in organisations]
