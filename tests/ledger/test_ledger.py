import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ledger.models import GENESIS_HASH, ChainHead, EntryKind, LedgerEntry, LedgerImmutableError
from ledger.services import (
    NoChange,
    balance,
    branch_table,
    component_totals,
    effective_points,
    entries_for,
    post_correction,
    post_entry,
)
from ledger.verify import verify_all, verify_chain

from .conftest import CYCLE

D = datetime.date
NEXT_CYCLE = datetime.date(2026, 1, 1)


def post(tree, who, component, points, org=None, cycle=CYCLE, **kw):
    return post_entry(
        organisation=org or tree[who].organisation,
        member=tree[who],
        component=component,
        points=Decimal(points),
        occurred_on=kw.pop("occurred_on", D(2025, 3, 10)),
        cycle_start=cycle,
        source=kw.pop("source", "declaration"),
        source_ref=kw.pop("source_ref", "1"),
        **kw,
    )


@pytest.fixture
def posted(tree, clerk):
    a = tree["a"]
    entries = [
        post(tree, "zhang", "basic", "10", org=a, recorded_by=clerk),
        post(tree, "zhang", "bonus", "3.50", org=a, recorded_by=clerk),
        post(tree, "li", "basic", "8", org=a),
        post(tree, "zhang", "penalty", "-2", org=a, note="无故缺席组织生活"),
        post(tree, "li", "bonus", "1.25", org=a),
    ]
    post(tree, "wang", "basic", "9", org=tree["b"])
    return entries


def run_verify(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("verify_ledger", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class TestPosting:
    def test_chain_fields(self, posted, tree):
        entries = list(LedgerEntry.objects.filter(organisation=tree["a"]).order_by("seq"))
        assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
        assert entries[0].prev_hash == GENESIS_HASH
        for before, after in zip(entries, entries[1:]):
            assert after.prev_hash == before.entry_hash
        assert len({e.entry_hash for e in entries}) == 5
        # Each organisation has its own chain.
        b_entry = LedgerEntry.objects.get(organisation=tree["b"])
        assert (b_entry.seq, b_entry.prev_hash) == (1, GENESIS_HASH)
        head = ChainHead.objects.get(organisation=tree["a"])
        assert (head.seq, head.entry_hash) == (5, entries[-1].entry_hash)

    def test_hash_is_sha256_of_the_documented_canonical_form(self, posted, clerk):
        entry = LedgerEntry.objects.get(pk=posted[0].pk)  # fresh from the database
        payload = {
            "v": 1,
            "organisation": entry.organisation_id,
            "seq": 1,
            "member": entry.member_id,
            "cycle_start": "2025-01-01",
            "component": "basic",
            "points": "10.00",
            "occurred_on": "2025-03-10",
            "kind": "posted",
            "source": "declaration",
            "source_ref": "1",
            "corrects": None,
            "note": "",
            "recorded_by": clerk.pk,
            "recorded_at": entry.recorded_at.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "prev_hash": GENESIS_HASH,
        }
        expected = hashlib.sha256(
            json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        assert entry.entry_hash == expected

    def test_points_are_decimal_and_validated(self, tree):
        with pytest.raises(ValidationError, match="浮点数"):
            post_entry(organisation=tree["a"], member=tree["zhang"], component="basic", points=1.1,
                       occurred_on=D(2025, 3, 1), cycle_start=CYCLE, source="declaration")
        with pytest.raises(ValidationError, match="两位小数"):
            post(tree, "zhang", "basic", "1.005")
        with pytest.raises(ValidationError, match="积分项目不能为空"):
            post(tree, "zhang", " ", "1")
        with pytest.raises(ValidationError, match="来源不能为空"):
            post(tree, "zhang", "basic", "1", source="")
        with pytest.raises(ValidationError, match="必须是日期"):
            post(tree, "zhang", "basic", "1", occurred_on="2025-03-01")
        assert not LedgerEntry.objects.exists()

    def test_member_must_belong_to_the_subtree(self, tree):
        with pytest.raises(ValidationError, match="不属于"):
            post(tree, "wang", "basic", "1", org=tree["a"])
        # A member of a group below the branch may be posted on the branch's chain, and on the committee's.
        post(tree, "li", "basic", "1", org=tree["a"])
        post(tree, "li", "basic", "1", org=tree["committee"])


class TestAppendOnly:
    def test_save_of_existing_row_refused(self, posted):
        entry = LedgerEntry.objects.get(pk=posted[0].pk)
        entry.points = Decimal("100")
        with pytest.raises(LedgerImmutableError):
            entry.save()
        assert LedgerEntry.objects.get(pk=entry.pk).points == Decimal("10.00")

    def test_delete_refused(self, posted):
        with pytest.raises(LedgerImmutableError):
            posted[0].delete()
        with pytest.raises(LedgerImmutableError):
            LedgerEntry.objects.filter(pk=posted[0].pk).delete()
        with pytest.raises(LedgerImmutableError):
            LedgerEntry.objects.all().delete()
        assert LedgerEntry.objects.count() == 6

    def test_queryset_writes_refused(self, posted, tree):
        with pytest.raises(LedgerImmutableError):
            LedgerEntry.objects.filter(pk=posted[0].pk).update(points=Decimal("99"))
        with pytest.raises(LedgerImmutableError):
            LedgerEntry.objects.bulk_update(posted, ["points"])
        with pytest.raises(LedgerImmutableError):
            LedgerEntry.objects.bulk_create([LedgerEntry(organisation=tree["a"], member=tree["zhang"])])
        assert LedgerEntry.objects.get(pk=posted[0].pk).points == Decimal("10.00")

    def test_direct_create_refused(self, tree):
        with pytest.raises(LedgerImmutableError, match="post_entry"):
            LedgerEntry.objects.create(
                organisation=tree["a"], member=tree["zhang"], seq=1, cycle_start=CYCLE, component="basic",
                points=Decimal("1"), occurred_on=CYCLE, source="x", recorded_at=datetime.datetime.now(datetime.timezone.utc),
                prev_hash=GENESIS_HASH, entry_hash="f" * 64,
            )

    def test_rows_are_protected_from_cascading_deletes(self):
        # Deleting a member, organisation, user or corrected entry must never take ledger rows with it.
        from django.db import models

        for name in ["organisation", "member", "corrects", "recorded_by"]:
            assert LedgerEntry._meta.get_field(name).remote_field.on_delete is models.PROTECT, name


class TestCorrections:
    def test_correction_posts_the_difference(self, posted, tree, clerk):
        original = posted[0]  # zhang basic 10
        correction = post_correction(original, Decimal("7"), "异议成立，核减3分", clerk,
                                     source="objection", source_ref="42")
        assert correction.kind == EntryKind.CORRECTION
        assert correction.corrects_id == original.pk
        assert correction.points == Decimal("-3.00")
        assert (correction.component, correction.cycle_start, correction.member_id) == ("basic", CYCLE, tree["zhang"].pk)
        assert correction.organisation_id == original.organisation_id
        assert correction.seq == 6 and correction.prev_hash == posted[-1].entry_hash
        assert (correction.source, correction.source_ref, correction.note) == ("objection", "42", "异议成立，核减3分")
        assert effective_points(original) == Decimal("7.00")
        assert balance(tree["zhang"], CYCLE, "basic") == Decimal("7.00")
        # The original is untouched.
        assert LedgerEntry.objects.get(pk=original.pk).points == Decimal("10.00")

    def test_correcting_a_correction_targets_the_original(self, posted, tree, clerk):
        first = post_correction(posted[0], Decimal("7"), "核减", clerk)
        second = post_correction(first, Decimal("12"), "复核后改为12分", clerk)
        assert second.corrects_id == posted[0].pk
        assert second.points == Decimal("5.00")
        assert effective_points(posted[0]) == Decimal("12.00")
        assert [c.pk for c in posted[0].corrections.order_by("seq")] == [first.pk, second.pk]

    def test_correction_rules(self, posted, tree, clerk):
        with pytest.raises(NoChange, match="相同"):
            post_correction(posted[0], Decimal("10"), "无变化", clerk)
        assert not LedgerEntry.objects.filter(kind=EntryKind.CORRECTION).exists()
        with pytest.raises(ValidationError, match="更正理由不能为空"):
            post_correction(posted[0], Decimal("8"), "  ", clerk)
        with pytest.raises(ValidationError, match="不一致"):
            post_entry(organisation=tree["a"], member=tree["li"], component="basic", points=Decimal("-1"),
                       occurred_on=D(2025, 3, 10), cycle_start=CYCLE, source="correction", corrects=posted[0])
        with pytest.raises(ValidationError, match="原记录"):
            post_entry(organisation=tree["a"], member=tree["zhang"], component="basic", points=Decimal("-1"),
                       occurred_on=D(2025, 3, 10), cycle_start=CYCLE, source="correction", kind=EntryKind.CORRECTION)

    def test_corrections_survive_verification(self, posted, clerk):
        post_correction(posted[0], Decimal("7"), "核减", clerk)
        out, err = run_verify()
        assert "台账校验通过：2 个组织，7 条记录" in out

    def test_member_history(self, posted, tree, clerk):
        post_correction(posted[0], Decimal("7"), "核减", clerk)
        history = list(entries_for(tree["zhang"], CYCLE))
        assert [(e.component, e.points, e.kind) for e in history] == [
            ("basic", Decimal("10.00"), "posted"),
            ("bonus", Decimal("3.50"), "posted"),
            ("penalty", Decimal("-2.00"), "posted"),
            ("basic", Decimal("-3.00"), "correction"),
        ]


class TestReading:
    def test_balance_and_component_totals(self, posted, tree):
        post(tree, "zhang", "basic", "4", cycle=NEXT_CYCLE, occurred_on=D(2026, 2, 1))
        zhang = tree["zhang"]
        assert balance(zhang, CYCLE) == Decimal("11.50")
        assert balance(zhang) == Decimal("15.50")
        assert balance(zhang, component="basic") == Decimal("14.00")
        assert balance(zhang, CYCLE, "penalty") == Decimal("-2.00")
        assert balance(tree["zhao"]) == Decimal("0.00")
        assert component_totals(zhang, CYCLE) == {
            "basic": Decimal("10.00"), "bonus": Decimal("3.50"), "penalty": Decimal("-2.00")
        }
        assert component_totals(zhang, NEXT_CYCLE) == {"basic": Decimal("4.00")}
        assert component_totals(tree["zhao"], CYCLE) == {}

    def test_branch_table(self, posted, tree, clerk, django_assert_max_num_queries):
        post_correction(posted[2], Decimal("6"), "核减", clerk)  # li basic 8 -> 6
        post(tree, "zhang", "basic", "4", cycle=NEXT_CYCLE, occurred_on=D(2026, 2, 1))  # other cycle: not counted
        with django_assert_max_num_queries(2):
            table = branch_table(tree["a"], CYCLE)
        assert table.components == ["basic", "bonus", "penalty"]
        rows = {row.member.name: row for row in table}
        assert set(rows) == {"张三", "李四", "赵六"}  # 王五 is in another branch
        assert rows["张三"].components == {"basic": Decimal("10.00"), "bonus": Decimal("3.50"), "penalty": Decimal("-2.00")}
        assert rows["张三"].total == Decimal("11.50")
        assert rows["李四"].components == {"basic": Decimal("6.00"), "bonus": Decimal("1.25"), "penalty": Decimal("0.00")}
        assert rows["李四"].total == Decimal("7.25")
        assert rows["赵六"].total == Decimal("0.00")
        # Ordered by organisation path, then name: the branch's members before the group's.
        assert [row.member.name for row in table] == ["张三", "赵六", "李四"]

        whole = branch_table(tree["committee"], CYCLE)
        assert len(whole) == 4
        assert whole.row_for(tree["wang"]).total == Decimal("9.00")
        assert sum(row.total for row in whole) == Decimal("27.75")
        assert branch_table(tree["b"], CYCLE).row_for(tree["zhang"]) is None


class TestVerify:
    def test_clean_ledger_passes(self, posted):
        out, err = run_verify()
        assert "台账校验通过：2 个组织，6 条记录" in out
        assert "dongjie" in out and "seq=5" in out
        assert err == ""
        out, _ = run_verify("--organisation", "xijie")
        assert "1 个组织，1 条记录" in out

    def test_unknown_organisation_code(self, posted):
        with pytest.raises(CommandError, match="nosuch"):
            run_verify("--organisation", "nosuch")

    def test_edited_amount_is_named(self, posted, tree):
        victim = posted[2]
        raw("UPDATE ledger_ledgerentry SET points = %s WHERE id = %s", ["80.00", victim.pk])
        assert LedgerEntry.objects.get(pk=victim.pk).points == Decimal("80.00")
        with pytest.raises(CommandError) as excinfo:
            run_verify()
        message = str(excinfo.value)
        assert "dongjie" in message and f"seq=3 id={victim.pk}" in message and "内容与哈希不符" in message
        # The other organisation's chain is still reported intact.
        reports = {r.organisation.code: r for r in verify_all()}
        assert reports["xijie"].ok
        assert reports["dongjie"].tamper.problem == "content"

    def test_edited_amount_with_recomputed_hash_breaks_the_next_link(self, posted):
        victim = LedgerEntry.objects.get(pk=posted[1].pk)
        victim.points = Decimal("30.00")
        raw("UPDATE ledger_ledgerentry SET points = %s, entry_hash = %s WHERE id = %s",
            ["30.00", victim.compute_hash(), victim.pk])
        report = verify_chain(victim.organisation)
        assert report.tamper.problem == "link"
        assert (report.tamper.seq, report.tamper.entry_id) == (3, posted[2].pk)

    def test_deleted_row_names_the_next_entry(self, posted):
        raw("DELETE FROM ledger_ledgerentry WHERE id = %s", [posted[1].pk])
        with pytest.raises(CommandError) as excinfo:
            run_verify("--organisation", "dongjie")
        message = str(excinfo.value)
        assert f"seq=3 id={posted[2].pk}" in message and "序号不连续：应为 2，实为 3" in message

    def test_deleted_row_with_renumbered_seqs_breaks_the_link(self, posted):
        raw("DELETE FROM ledger_ledgerentry WHERE id = %s", [posted[1].pk])
        for entry in posted[2:]:
            raw("UPDATE ledger_ledgerentry SET seq = seq - 1 WHERE id = %s", [entry.pk])
        report = verify_chain(posted[0].organisation)
        # The renumbered entry's content (seq is hashed) no longer matches its hash.
        assert (report.tamper.seq, report.tamper.entry_id) == (2, posted[2].pk)
        assert report.tamper.problem == "content"

    def test_deleted_last_row_is_caught_by_the_head(self, posted):
        raw("DELETE FROM ledger_ledgerentry WHERE id = %s", [posted[-1].pk])
        report = verify_chain(posted[0].organisation)
        assert report.tamper.problem == "head"
        assert (report.tamper.seq, report.tamper.entry_id) == (4, posted[3].pk)
        with pytest.raises(CommandError, match="末尾的记录被删除"):
            run_verify()

    def test_reordered_entries(self, posted):
        # Swap the seqs of entries 2 and 3 (via a temporary value to satisfy the unique constraint).
        raw("UPDATE ledger_ledgerentry SET seq = 1000 WHERE id = %s", [posted[1].pk])
        raw("UPDATE ledger_ledgerentry SET seq = 2 WHERE id = %s", [posted[2].pk])
        raw("UPDATE ledger_ledgerentry SET seq = 3 WHERE id = %s", [posted[1].pk])
        report = verify_chain(posted[0].organisation)
        assert (report.tamper.seq, report.tamper.entry_id) == (2, posted[2].pk)

    def test_moved_to_another_organisation(self, posted, tree):
        raw("UPDATE ledger_ledgerentry SET organisation_id = %s, seq = 2 WHERE id = %s",
            [tree["b"].pk, posted[4].pk])
        reports = {r.organisation.code: r for r in verify_all()}
        assert reports["xijie"].tamper.entry_id == posted[4].pk
        assert reports["dongjie"].tamper.problem == "head"

    def test_posting_after_tail_deletion_keeps_the_gap_visible(self, posted, tree):
        raw("DELETE FROM ledger_ledgerentry WHERE id = %s", [posted[-1].pk])
        new = post(tree, "zhang", "basic", "1", org=tree["a"])
        assert new.seq == 6 and new.prev_hash == posted[-1].entry_hash
        report = verify_chain(tree["a"])
        assert (report.tamper.problem, report.tamper.entry_id) == ("seq", new.pk)


@pytest.mark.urls("tests.ledger.admin_urls")
def test_admin_is_read_only(posted, admin_client):
    entry = posted[0]
    assert admin_client.get("/admin/ledger/ledgerentry/").status_code == 200
    assert admin_client.get(f"/admin/ledger/ledgerentry/{entry.pk}/change/").status_code == 200  # view only
    assert admin_client.get("/admin/ledger/ledgerentry/add/").status_code == 403
    assert admin_client.get(f"/admin/ledger/ledgerentry/{entry.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/ledger/ledgerentry/{entry.pk}/change/", {"points": "99"})
    assert response.status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).points == Decimal("10.00")
