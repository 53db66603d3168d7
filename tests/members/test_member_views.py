"""Member pages and roster upload/download through HTTP, with the subtree rule."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from members.idcard import mask
from members.models import Member
from organisations.models import RoleKind
from tests.world import id_number, tree, user

from .test_roster_import import good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = tree()
    m1 = Member.objects.create(organisation=t["b1"], name="王建国", id_number=id_number("19800506", 123))
    m2 = Member.objects.create(organisation=t["b2"], name="李秀英", id_number=id_number("19851230", 244))
    sec1 = user("sec1", role=RoleKind.SECRETARY, on=t["b1"])
    return t, m1, m2, sec1


def login(client, u):
    client.force_login(u)
    return client


def test_secretary_cannot_read_or_change_another_branchs_members(client, world):
    t, m1, m2, sec1 = world
    login(client, sec1)
    assert client.get(reverse("members:detail", args=[m1.pk])).status_code == 200
    assert client.get(reverse("members:detail", args=[m2.pk])).status_code == 404
    assert client.get(reverse("members:edit", args=[m2.pk])).status_code == 404
    r = client.post(reverse("members:edit", args=[m2.pk]), {"name": "改名", "kind": "party_member"})
    assert r.status_code == 404
    m2.refresh_from_db()
    assert m2.name == "李秀英"
    assert client.get(reverse("members:organisation", args=[t["b2"].pk])).status_code == 403
    assert client.get(reverse("members:export", args=[t["b2"].pk, "xlsx"])).status_code == 403
    assert client.get(reverse("members:export", args=[t["gb1"].pk, "csv"])).status_code == 403
    # Own branch list does not leak the sibling's member.
    page = client.get(reverse("members:organisation", args=[t["b1"].pk])).content.decode()
    assert "王建国" in page and "李秀英" not in page


def test_secretary_can_edit_own_branch_member(client, world):
    t, m1, m2, sec1 = world
    login(client, sec1)
    r = client.post(reverse("members:edit", args=[m1.pk]),
                    {"name": "王建国", "kind": "party_member", "phone": "13800001111", "gender": "M"})
    assert r.status_code == 302
    m1.refresh_from_db()
    assert m1.phone == "13800001111"


def test_reviewer_reads_subtree_but_cannot_edit(client, world):
    t, m1, m2, sec1 = world
    rev = user("rev", role=RoleKind.REVIEWER, on=t["town"])
    login(client, rev)
    assert client.get(reverse("members:detail", args=[m2.pk])).status_code == 200
    assert client.get(reverse("members:edit", args=[m2.pk])).status_code == 403


def test_committee_member_sees_subtree_and_exports(client, world):
    t, m1, m2, sec1 = world
    com = user("com", role=RoleKind.COMMITTEE_MEMBER, on=t["town"])
    login(client, com)
    page = client.get(reverse("members:organisation", args=[t["town"].pk])).content.decode()
    assert "王建国" in page and "李秀英" in page
    r = client.get(reverse("members:export", args=[t["town"].pk, "xlsx"]))
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    ids = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted([mask(m1.id_number), mask(m2.id_number)])
    r = client.get(reverse("members:export", args=[t["town"].pk, "csv"]))
    assert r.content.startswith(b"\xef\xbb\xbf") and m1.id_number.encode() not in r.content
    assert client.get(reverse("members:index")).status_code == 200


def test_full_id_only_for_the_member_and_superuser(client, world):
    t, m1, m2, sec1 = world
    login(client, sec1)
    page = client.get(reverse("members:detail", args=[m1.pk])).content.decode()
    assert m1.id_number not in page and mask(m1.id_number) in page
    own = user("wjg")
    m1.user = own
    m1.save()
    client.force_login(own)
    page = client.get(reverse("members:detail", args=[m1.pk])).content.decode()
    assert m1.id_number in page
    assert client.get(reverse("members:detail", args=[m2.pk])).status_code == 404
    assert client.get(reverse("members:index")).status_code == 302  # straight to own page
    client.force_login(user("root", is_superuser=True))
    assert m2.id_number in client.get(reverse("members:detail", args=[m2.pk])).content.decode()


def test_anonymous_is_sent_to_login(client, world):
    t, m1, *_ = world
    r = client.get(reverse("members:detail", args=[m1.pk]))
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_upload_good_file_then_report_for_bad_file(client, world):
    t, m1, m2, sec1 = world
    clerk = user("clerk", role=RoleKind.CLERK, on=t["gb1"])
    login(client, clerk)
    assert client.get(reverse("members:import")).status_code == 200
    rows = good_rows()
    f = SimpleUploadedFile("名册.xlsx", xlsx_bytes(rows))
    r = client.post(reverse("members:import"), {"organisation": t["gb1"].pk, "file": f})
    assert r.status_code == 302
    # 王建国 and 李秀英 are matched by ID number (李秀英 moved from 西街 to 东街), 张伟 is new.
    assert Member.objects.count() == 3
    m2.refresh_from_db()
    assert m2.organisation == t["b1"] and m2.transfers.count() == 1
    rows[0][0] = ""
    rows[1][7] = "不存在的支部"
    before = list(Member.objects.values_list("pk", "name", "organisation_id", "phone"))
    f = SimpleUploadedFile("名册.xlsx", xlsx_bytes(rows))
    r = client.post(reverse("members:import"), {"organisation": t["gb1"].pk, "file": f})
    assert r.status_code == 400
    page = r.content.decode()
    assert "未写入任何数据" in page and "第2行" in page and "第3行" in page and "不存在的支部" in page
    assert list(Member.objects.values_list("pk", "name", "organisation_id", "phone")) == before


def test_upload_into_other_branch_is_forbidden(client, world):
    t, m1, m2, sec1 = world
    login(client, sec1)
    f = SimpleUploadedFile("r.xlsx", xlsx_bytes(good_rows()))
    r = client.post(reverse("members:import"), {"organisation": t["b2"].pk, "file": f})
    assert r.status_code == 403
    assert Member.objects.count() == 2


def test_users_without_staff_role_cannot_open_import(client, world):
    client.force_login(user("nobody"))
    assert client.get(reverse("members:import")).status_code == 403


@override_settings(JIFEN_ROSTER_MAX_BYTES=2048)
def test_too_large_upload_refused_with_413(client, world):
    t, m1, m2, sec1 = world
    login(client, sec1)
    f = SimpleUploadedFile("big.csv", b"x" * 10_000_000)
    r = client.post(reverse("members:import"), {"organisation": t["b1"].pk, "file": f})
    assert r.status_code == 413
    assert "上限" in r.content.decode()
    assert Member.objects.count() == 2


@override_settings(JIFEN_ROSTER_MAX_BYTES=2048)
def test_size_handler_stops_a_file_without_content_length(rf, world):
    """Chunked bodies carry no Content-Length: the upload handler still cuts the file off."""
    from django.core.files.uploadhandler import SkipFile

    from members.views import _RosterSizeLimit

    request = rf.post("/")
    handler = _RosterSizeLimit(request, 2048)
    handler.new_file("file", "big.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"x" * 2000, 0) == b"x" * 2000
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 2000, 2000)
    assert request.roster_too_large is True


def test_template_download(client, world):
    t, m1, m2, sec1 = world
    login(client, sec1)
    r = client.get(reverse("members:template", args=["xlsx"]))
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 1 and ws["A1"].value == "姓名"
    assert client.get(reverse("members:template", args=["pdf"])).status_code == 404
