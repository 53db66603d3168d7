"""Anchors (#13 item 9): tampering that the links and the head alone cannot show.

Each case fails without anchors: deleting the last rows together with the chain head,
deleting a whole chain, recomputing every hash (with the server key: and rewriting the
head and anchors too).
"""
import hashlib

import pytest
from django.core.management.base import CommandError

from ledger import anchors
from ledger.models import ChainAnchor, ChainHead, LedgerEntry
from ledger.verify import verify_all, verify_chain

from .test_ledger import post, raw, run_verify

KEY = "county-server-key-2025"


@pytest.fixture
def anchored(tree, clerk):
    """Five entries of 东街, the head anchored (as a filing report prints it) after the third."""
    a = tree["a"]
    entries = [post(tree, "zhang", "basic", "10", org=a, recorded_by=clerk),
               post(tree, "li", "basic", "8", org=a),
               post(tree, "zhang", "bonus", "3.50", org=a)]
    anchor = anchors.record_anchor(a, "filing:round:1")
    entries += [post(tree, "li", "bonus", "1.25", org=a), post(tree, "zhang", "penalty", "-2", org=a)]
    return entries, anchor


def _recompute_all(organisation_id):
    """What someone with database access does: rewrite every hash and link from the current rows, and the head."""
    prev = "0" * 64
    for entry in LedgerEntry.objects.filter(organisation_id=organisation_id).order_by("seq"):
        entry.prev_hash = prev
        new_hash = entry.compute_hash()
        raw("UPDATE ledger_ledgerentry SET prev_hash = %s, entry_hash = %s WHERE id = %s", [prev, new_hash, entry.pk])
        prev = new_hash
        last_seq = entry.seq
    raw("UPDATE ledger_chainhead SET seq = %s, entry_hash = %s WHERE organisation_id = %s",
        [last_seq, prev, organisation_id])
    return prev


def test_the_anchor_records_the_head_at_that_time(anchored, tree):
    entries, anchor = anchored
    assert (anchor.seq, anchor.entry_hash) == (3, entries[2].entry_hash)
    assert anchor.signature == ""
    assert verify_chain(tree["a"]).ok


def test_last_rows_deleted_with_the_head_rewritten(anchored, tree):
    entries, _anchor = anchored
    # Delete seq 3..5 and point the head at seq 2: links and head agree, the anchor (seq 3) does not.
    raw("DELETE FROM ledger_ledgerentry WHERE organisation_id = %s AND seq >= 3", [tree["a"].pk])
    raw("UPDATE ledger_chainhead SET seq = 2, entry_hash = %s WHERE organisation_id = %s",
        [entries[1].entry_hash, tree["a"].pk])
    report = verify_chain(tree["a"])
    assert report.tamper.problem == "anchor" and "锚定之后的记录被删除" in report.tamper.detail
    with pytest.raises(CommandError, match="锚定之后的记录被删除"):
        run_verify()


def test_a_whole_chain_deleted(anchored, tree):
    raw("DELETE FROM ledger_ledgerentry WHERE organisation_id = %s", [tree["a"].pk])
    raw("DELETE FROM ledger_chainhead WHERE organisation_id = %s", [tree["a"].pk])
    reports = {r.organisation.code: r for r in verify_all()}
    assert reports["dongjie"].tamper.problem == "anchor"
    with pytest.raises(CommandError, match="dongjie"):
        run_verify()


def test_every_hash_recomputed(anchored, tree):
    entries, _anchor = anchored
    raw("UPDATE ledger_ledgerentry SET points = %s WHERE id = %s", ["30.00", entries[1].pk])
    _recompute_all(tree["a"].pk)
    report = verify_chain(tree["a"])
    assert report.tamper.problem == "anchor" and "哈希被重算" in report.tamper.detail


def test_anchors_are_checked_in_one_pass_over_several_chains(anchored, tree):
    post(tree, "wang", "basic", "9", org=tree["b"])
    other = anchors.record_anchor(tree["b"], "filing:round:2")
    empty = anchors.record_anchor(tree["a1"], "filing:round:3")  # an empty chain anchors at seq 0
    assert (other.seq, empty.seq) == (1, 0)
    assert all(report.ok for report in verify_all())


class TestServerKey:
    @pytest.fixture(autouse=True)
    def _key(self, settings):
        settings.JIFEN_LEDGER_HMAC_KEY = KEY

    def test_heads_and_anchors_are_signed(self, anchored, tree):
        _entries, anchor = anchored
        head = ChainHead.objects.get(organisation=tree["a"])
        assert head.signature == anchors.sign(tree["a"].pk, head.seq, head.entry_hash) != ""
        assert anchor.signature == anchors.sign(tree["a"].pk, 3, anchor.entry_hash)
        assert verify_chain(tree["a"]).ok

    def test_everything_recomputed_including_head_and_anchors(self, anchored, tree):
        entries, anchor = anchored
        raw("UPDATE ledger_ledgerentry SET points = %s WHERE id = %s", ["30.00", entries[0].pk])
        _recompute_all(tree["a"].pk)
        third = LedgerEntry.objects.get(organisation=tree["a"], seq=3)
        raw("UPDATE ledger_chainanchor SET entry_hash = %s WHERE id = %s", [third.entry_hash, anchor.pk])
        # Without the key, a forger can only guess a signature, e.g. a plain hash of the head.
        head = ChainHead.objects.get(organisation=tree["a"])
        raw("UPDATE ledger_chainhead SET signature = %s WHERE organisation_id = %s",
            [hashlib.sha256(head.entry_hash.encode()).hexdigest(), tree["a"].pk])
        report = verify_chain(tree["a"])
        assert report.tamper.problem == "signature"

    def test_a_forged_anchor_is_caught(self, anchored, tree):
        _entries, anchor = anchored
        raw("UPDATE ledger_chainanchor SET seq = 2 WHERE id = %s", [anchor.pk])
        report = verify_chain(tree["a"])
        assert report.tamper.problem == "anchor" and "签名" in report.tamper.detail


def test_filing_a_round_anchors_the_branch_chain_and_the_report_prints_it(county):
    from documents.models import GeneratedDocument
    from tests import world

    rr = world.round_in_publicity(county)
    anchor = ChainAnchor.objects.get(organisation=county.east, reason=rr.filings.get().anchor_reason)
    assert (anchor.seq, anchor.entry_hash) == anchors.head(county.east)
    report = GeneratedDocument.objects.filter(kind="filing_report", organisation=county.east).latest("pk")
    assert (report.context["ledger_seq"], report.context["ledger_hash"]) == (anchor.seq, anchor.entry_hash)


@pytest.mark.parametrize("head, printed, absent", [
    ((0, "0" * 64), "特此报告。", "积分台账链头"),  # an empty chain: no line at all
    ((7, "ab12cd34" * 8), "第7条，哈希 " + " ".join(["ab12cd34"] * 8), "0000000000"),
])
def test_the_filing_report_prints_the_chain_head_in_groups_and_leaves_out_an_empty_chain(head, printed, absent):
    """A new user saw “第 0 条，哈希 000…0” stretched letter by letter across the line."""
    import io

    from docx import Document

    from documents.rendering import render_document_bytes, sample_context

    context = {**sample_context("filing_report"), "ledger_seq": head[0], "ledger_hash": head[1],
               "ledger_hash_groups": " ".join(head[1][i:i + 8] for i in range(0, 64, 8))}
    text = "\n".join(p.text for p in Document(io.BytesIO(render_document_bytes("filing_report", context))).paragraphs)
    assert printed in text and absent not in text
