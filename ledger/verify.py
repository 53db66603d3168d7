"""Checking each organisation's ledger chain against its hashes (used by ``verify_ledger``)."""
import itertools
import operator
from dataclasses import dataclass

from organisations.models import Organisation

from . import anchors, totals
from .models import GENESIS_HASH, SCORE_KINDS, ChainAnchor, ChainHead, LedgerEntry, ScoreTotal


@dataclass
class Tamper:
    """The first problem found in one organisation's chain."""

    organisation: object
    seq: int | None  # seq of the entry named, None when the chain has no row to name
    entry_id: int | None
    problem: str  # "seq", "content", "link", "head", "signature", "anchor", "totals"
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


#: The columns a check reads, streamed as tuples (no model instance per row).
_FIELDS = ("organisation_id", "seq", "member_id", "cycle_start", "component", "points", "occurred_on", "kind",
           "source", "source_ref", "corrects_id", "note", "recorded_by_id", "recorded_at", "prev_hash",
           "entry_hash", "pk")
_CHUNK = 5000


def _rows(organisation_ids):
    """Every entry of the organisations, in ``(organisation, seq)`` order, as tuples of ``_FIELDS``.

    Streamed (a server-side cursor on PostgreSQL): memory stays flat whatever the ledger's size.
    """
    queryset = LedgerEntry.objects.order_by("organisation_id", "seq")
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=organisation_ids)
    return queryset.values_list(*_FIELDS).iterator(chunk_size=_CHUNK)


def _tamper(organisation, count, row, problem, detail):
    """The report of a chain whose entry ``row`` (the ``count``-th) shows ``problem``."""
    return ChainReport(organisation, count, row[1], row[15], Tamper(organisation, row[1], row[16], problem, detail))


def _check(organisation, rows, head, anchor_list, stored_totals=None) -> ChainReport:
    """The checks of :func:`verify_chain` over one organisation's rows (tuples of ``_FIELDS``), then
    its per-quarter totals against ``stored_totals`` (``totals.stored``; ``{}``: none stored)."""
    hash_row = LedgerEntry.hash_row
    expected_seq = 0
    expected_prev = GENESIS_HASH
    last = None
    wanted = {anchor.seq for anchor in anchor_list}
    seen = {}  # anchored seq -> stored hash at that seq
    scored, score_kinds = [], frozenset(SCORE_KINDS)  # the score entries, for their totals
    for row in rows:
        expected_seq += 1
        if row[7] in score_kinds:
            scored.append(row)
        seq, entry_hash, prev_hash = row[1], row[15], row[14]
        if seq != expected_seq:
            return _tamper(organisation, expected_seq, row, "seq",
                           f"序号不连续：应为 {expected_seq}，实为 {seq}（其前的记录被删除或序号被改动）")
        recomputed = hash_row(organisation.pk, *row[1:15])
        if recomputed != entry_hash:
            return _tamper(organisation, expected_seq, row, "content",
                           f"内容与哈希不符（记录被改动）：存储的 entry_hash={entry_hash}，按内容重算={recomputed}；"
                           f"当前内容：成员 {row[2]}，项目 {row[4]}，分值 {row[5]}")
        if prev_hash != expected_prev:
            return _tamper(organisation, expected_seq, row, "link",
                           f"prev_hash 与上一条记录（seq={expected_seq - 1}）的哈希不符"
                           f"（记录被替换、删除或顺序被改动）：prev_hash={prev_hash}，应为 {expected_prev}")
        if seq in wanted:
            seen[seq] = entry_hash
        expected_prev = entry_hash
        last = row
    count = expected_seq
    last_seq = last[1] if last else 0
    last_hash = last[15] if last else GENESIS_HASH
    last_pk = last[16] if last else None

    def at_end(problem, detail):
        return ChainReport(organisation, count, last_seq, last_hash,
                           Tamper(organisation, last_seq if last else None, last_pk, problem, detail))

    if head is None:
        if last is not None:
            return at_end("head", "缺少链头记录（ChainHead 被删除）")
    elif (head.seq, head.entry_hash) != (last_seq, last_hash):
        return at_end("head", f"链头记录为 seq={head.seq}（{head.entry_hash}），而台账最后一条为 seq={last_seq}"
                              f"（{last_hash}）：末尾的记录被删除，或链头被改动")
    elif not anchors.signature_ok(organisation.pk, head.seq, head.entry_hash, head.signature):
        return at_end("signature", f"链头 seq={head.seq} 的签名与服务器密钥不符：链头（及其前的记录）被重写")
    for anchor in anchor_list:
        where = f"{anchor.created_at:%Y-%m-%d %H:%M}（{anchor.reason}）"
        if not anchors.signature_ok(organisation.pk, anchor.seq, anchor.entry_hash, anchor.signature):
            return at_end("anchor", f"锚点 seq={anchor.seq}（{where}）的签名与服务器密钥不符：锚点被改动")
        if anchor.seq == 0:
            continue
        if anchor.seq > last_seq:
            return at_end("anchor", f"备案时锚定的链头为 seq={anchor.seq}（{anchor.entry_hash}，{where}），"
                                    f"而台账现只到 seq={last_seq}：锚定之后的记录被删除（连同链头）")
        if seen.get(anchor.seq) != anchor.entry_hash:
            return at_end("anchor", f"备案时锚定的 seq={anchor.seq} 哈希为 {anchor.entry_hash}（{where}），"
                                    f"台账现为 {seen.get(anchor.seq)}：锚定之前的记录被改写（哈希被重算）")
    # member, cycle_start, component, points, occurred_on: totals.tally's row
    differs = totals.first_difference(totals.tally(map(operator.itemgetter(2, 3, 4, 5, 6), scored)),
                                      stored_totals or {})
    if differs is not None:
        (member, cycle_start, component), want, have = differs
        return ChainReport(organisation, count, last_seq, last_hash, Tamper(
            organisation, None, None, "totals",
            f"分项合计（ScoreTotal）与台账记录不符：成员 {member}，周期 {cycle_start}，项目 {component}："
            f"存储为 {_values(have)}，按台账记录应为 {_values(want)}（合计表被改动）"))
    return ChainReport(organisation, count, last_seq, last_hash, None)


def _values(values):
    """A total's values for a report (``totals.VALUE_FIELDS``), or ``无``."""
    if values is None:
        return "无"
    return "，".join(f"{name}={value}" for name, value in zip(totals.VALUE_FIELDS, values))


def verify_chain(organisation) -> ChainReport:
    """Walk ``organisation``'s entries in seq order; stop at the first tampered entry.

    Per entry, in this order: (1) its seq is the previous seq + 1 (a gap means rows were
    deleted, or seqs rewritten); (2) its stored ``entry_hash`` equals the hash recomputed
    from its content (an edited field, including seq, organisation or points);
    (3) its ``prev_hash`` equals the previous entry's stored hash (a row removed or
    replaced before it, or the order changed). Then the last entry must match the
    ``ChainHead`` row (rows removed from the end), the head's signature the server key
    (``ledger.anchors``, when one is set), and every stored anchor (the head printed on a
    filing report) must still be found at its seq with its hash: that shows the last rows
    removed together with the head, a whole chain removed, and every hash recomputed.
    Last, the chain's per-quarter totals (``ScoreTotal``) must be those its score entries
    add up to (``ledger.totals.tally``): problem ``totals`` otherwise, naming the total.
    Rows are streamed as tuples, never model instances.
    """
    head = ChainHead.objects.filter(organisation=organisation).first()
    anchor_list = list(ChainAnchor.objects.filter(organisation=organisation))
    return _check(organisation, _rows([organisation.pk]), head, anchor_list,
                  totals.stored([organisation.pk]).get(organisation.pk))


def _organisation_ids():
    ids = set(LedgerEntry.objects.order_by().values_list("organisation_id", flat=True).distinct())
    ids |= set(ChainHead.objects.values_list("organisation_id", flat=True))
    ids |= set(ChainAnchor.objects.order_by().values_list("organisation_id", flat=True).distinct())
    ids |= set(ScoreTotal.objects.order_by().values_list("organisation_id", flat=True).distinct())
    return ids


def organisations_with_ledgers():
    """Every organisation with entries, a chain head or an anchor (a chain deleted whole still has its anchors)."""
    return Organisation.objects.filter(pk__in=_organisation_ids()).order_by("path")


def verify_all(organisations=None) -> list[ChainReport]:
    """One report per organisation (default: every one with a ledger), in one streamed pass over the rows."""
    organisations = list(organisations_with_ledgers() if organisations is None else organisations)
    by_id = {organisation.pk: organisation for organisation in organisations}
    heads = {head.organisation_id: head for head in ChainHead.objects.filter(organisation_id__in=by_id)}
    anchor_lists = {}
    for anchor in ChainAnchor.objects.filter(organisation_id__in=by_id):
        anchor_lists.setdefault(anchor.organisation_id, []).append(anchor)
    stored_totals = totals.stored(list(by_id))
    reports = {}
    for organisation_id, rows in itertools.groupby(_rows(list(by_id)), key=operator.itemgetter(0)):
        organisation = by_id[organisation_id]
        reports[organisation_id] = _check(organisation, rows, heads.get(organisation_id),
                                          anchor_lists.get(organisation_id, []), stored_totals.get(organisation_id))
    for organisation_id, organisation in by_id.items():
        if organisation_id not in reports:  # no rows left
            reports[organisation_id] = _check(organisation, (), heads.get(organisation_id),
                                              anchor_lists.get(organisation_id, []), stored_totals.get(organisation_id))
    return [reports[organisation.pk] for organisation in organisations]
