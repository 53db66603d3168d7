"""The portal's screens through the Django test client: what each role sees and what it refuses."""
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ledger import services as ledger
from portal import charts
from portal.templatetags.jifen_ui import format_cn_date, points
from reviews.models import Objection
from reviews.services import objections
from tests import world

pytestmark = pytest.mark.django_db


# -- small helpers ---------------------------------------------------------------------------

def test_cn_date_in_both_languages():
    d = datetime.date(2025, 3, 6)
    with translation.override("zh-hans"):
        assert format_cn_date(d) == "2025年3月6日"
        # an aware datetime late on 5 March UTC is already 6 March in Asia/Shanghai
        late = datetime.datetime(2025, 3, 5, 20, 30, tzinfo=datetime.timezone.utc)
        assert format_cn_date(late) == "2025年3月6日"
        assert format_cn_date("2025-12-31") == "2025年12月31日"
    with translation.override("en"):
        assert format_cn_date(d) == "6 Mar 2025"
    assert points(Decimal("2.50")) == "2.5" and points(Decimal("-3.00")) == "-3" and points(Decimal("0.00")) == "0"


def test_svg_bar_chart_carries_numbers_as_text():
    svg = str(charts.bar_chart([("东街", Decimal("12.5")), ("西街", 0)], title="人均积分"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert ">12.5<" in svg and ">0<" in svg and "东街：12.5" in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in charts.bar_chart([("<script>", 1)])
    hist = charts.histogram([Decimal("59"), Decimal("60"), Decimal("95")],
                            [("<60", Decimal(0), Decimal(60)), ("60+", Decimal(60), None)])
    assert hist == [("<60", 1), ("60+", 2)]


# -- public board -----------------------------------------------------------------------------

def test_public_board_shows_only_name_branch_item_points(w, client):
    rr = world.round_in_publicity(w)
    w.members[2].id_number = "430521198005061234"
    w.members[2].save()
    response = client.get(reverse("public_board", args=[w.town.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "刘志强" in html and "陈小燕" in html and "东街社区党支部" in html and "志愿服务" in html
    for m in w.members:
        assert m.phone not in html
    assert "430521198005061234" not in html and "evidence" not in html
    end = rr.current_publicity().end_on
    assert format_cn_date(end) in html
    # a branch of another subtree does not show this round
    assert "刘志强" not in client.get(reverse("public_board", args=[w.west.code])).content.decode()
    assert client.get(reverse("public_board", args=["no-such-org"])).status_code == 404


def test_public_objection_errors_are_beside_the_fields_and_keep_input(w, client):
    rr = world.round_in_publicity(w)
    d = rr.declarations.order_by("pk").first()
    url = reverse("public_objection", args=[w.east.code, rr.current_publicity().pk, d.pk])
    response = client.post(url, {"objector_name": "王五", "objector_contact": "", "reason": "短"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项" in html
    assert "至少 5 个字" in html
    assert 'value="王五"' in html
    assert Objection.objects.count() == 0
    response = client.post(url, {"objector_name": "王五", "objector_contact": "13900001111",
                                 "reason": "当天他并未参加巡查。", **world.CAPTCHA})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.declaration == d and objection.received_by is None
    receipt = client.get(response["Location"]).content.decode()
    assert "您的异议已受理" in receipt and format_cn_date(objection.due_on) in receipt
    # another visitor cannot read the receipt (it names the objector)
    client.cookies.clear()
    assert client.get(response["Location"]).status_code == 403


def test_objection_refused_once_the_window_closed(w, client):
    rr = world.round_in_publicity(w)
    pub = rr.current_publicity()
    type(pub).objects.filter(pk=pub.pk).update(start_on=pub.start_on - datetime.timedelta(days=20),
                                              end_on=pub.start_on - datetime.timedelta(days=10))
    d = rr.declarations.first()
    url = reverse("public_objection", args=[w.east.code, pub.pk, d.pk])
    assert "已截止" in client.get(url).content.decode()
    response = client.post(url, {"objector_name": "王五", "objector_contact": "139", "reason": "不符合事实情况",
                                 **world.CAPTCHA})
    assert "截止" in response.content.decode()
    assert not Objection.objects.exists()
    assert "刘志强" not in client.get(reverse("public_board", args=[w.east.code])).content.decode()


# -- member portal ----------------------------------------------------------------------------

def test_member_declares_with_photo_and_follows_it(w, client):
    rr = world.open_round(w)
    client.force_login(w.member_user)
    form = client.get(reverse("reviews:declare")).content.decode()
    assert 'accept="image/*,application/pdf"' in form and 'capture="environment"' in form
    for field in ("id_component", "id_rule_item", "id_points", "id_occurred_on", "id_description", "id_evidence"):
        assert re.search(rf'<label for="{field}"', form), f"no label for {field}"
    data = {"component": "发挥作用", "rule_item": "志愿服务", "points": "3", "quantity": "1",
            "occurred_on": (rr.period_start + datetime.timedelta(days=3)).isoformat(), "place": "社区",
            "description": "参加防火巡查", "evidence": world.photo()}
    response = client.post(reverse("reviews:declare"), data)
    assert response.status_code == 302
    d = w.members[0].declarations.get()
    assert d.review_round == rr and d.evidence.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "支部会议审核" in detail and "进行中" in detail
    evidence_url = reverse("reviews:evidence", args=[d.evidence.get().pk])
    assert evidence_url in detail
    assert client.get(evidence_url)["Content-Type"] == "image/png"
    listing = client.get(reverse("reviews:my_declarations")).content.decode()
    assert "志愿服务" in listing
    # another member cannot see the evidence or the declaration
    client.force_login(world.make_user("outsider", name="外人"))
    assert client.get(evidence_url).status_code == 403
    assert client.get(reverse("reviews:declaration_detail", args=[d.pk])).status_code == 403


def test_declare_rejects_a_text_file_posing_as_a_photo(w, client):
    world.open_round(w)
    client.force_login(w.member_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    data = {"component": "发挥作用", "rule_item": "志愿服务", "points": "3", "quantity": "1",
            "occurred_on": world.previous_quarter()[0].isoformat(), "description": "巡查", "evidence": fake}
    response = client.post(reverse("reviews:declare"), data)
    assert response.status_code == 200
    assert "不是可接受的格式" in response.content.decode()
    assert 'value="志愿服务"' in response.content.decode()


def test_my_points_by_component_with_history(w, client):
    rr = world.round_in_publicity(w)
    d = rr.declarations.get(member=w.members[2])
    entry = ledger.post_entry(
        organisation=w.east, member=w.members[2], component="发挥作用", points=d.decided_points,
        occurred_on=d.occurred_on, cycle_start=rr.cycle_start, source="review",
        source_ref=f"review-round:{rr.pk}/declaration:{d.pk}", recorded_by=w.secretary, note="志愿服务")
    ledger.post_correction(entry, Decimal("1"), "异议成立，更正为1分", w.secretary)
    w.members[2].user = world.make_user("chen-member", name="陈小燕")
    w.members[2].save()
    client.force_login(w.members[2].user)
    html = client.get(reverse("reviews:my_points")).content.decode()
    assert "发挥作用：1 分" in html
    assert "+3" in html and "-2" in html and "异议成立，更正为1分" in html
    assert reverse("reviews:declaration_detail", args=[d.pk]) in html
    assert "支部会议认定" in html  # the audit history of the score


def test_member_without_record_is_told_why(w, client):
    client.force_login(w.secretary)
    response = client.get(reverse("reviews:my_points"))
    assert response.status_code == 403
    assert "您的账号没有关联党员/成员档案" in response.content.decode()


# -- dashboard and downloads ------------------------------------------------------------------

def test_dashboard_charts_and_overdue(w, client):
    rr = world.round_in_publicity(w)
    d = rr.declarations.order_by("pk").first()
    objection = objections.lodge_objection(d, objector_name="王五", objector_contact="139", reason="与事实不符")
    Objection.objects.filter(pk=objection.pk).update(due_on=datetime.date(2020, 1, 1))
    ledger.post_entry(organisation=w.east, member=w.members[1], component="发挥作用", points=Decimal("5"),
                      occurred_on=rr.period_start, cycle_start=rr.cycle_start, source="review")
    client.force_login(w.reviewer)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert html.count('<svg class="chart"') == 4  # totals, branches, rounds by step, documents
    assert "公示中" in html  # rounds by step
    assert "已逾期" in html and "王五" not in html  # overdue listed, objector not exposed on the dashboard
    assert "东街社区党支部" in html and "西街社区党支部" in html
    client.force_login(w.member_user)
    assert client.get(reverse("portal:dashboard")).status_code == 403


def test_ledger_xlsx_and_permissions(w, client):
    from io import BytesIO

    from openpyxl import load_workbook

    rr = world.round_in_publicity(w)
    ledger.post_entry(organisation=w.east, member=w.members[1], component="发挥作用", points=Decimal("2.5"),
                      occurred_on=rr.period_start, cycle_start=rr.cycle_start, source="review")
    client.force_login(w.secretary)
    response = client.get(reverse("portal:ledger_xlsx", args=[w.east.pk]) + f"?cycle={rr.cycle_start}")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert "东街社区党支部" in rows[0][0]
    assert rows[1][:3] == ("序号", "姓名", "所在组织")
    liu = next(r for r in rows if r[1] == "刘志强")
    assert Decimal(str(liu[-1])) == Decimal("2.5")
    client.force_login(w.west_secretary)
    assert client.get(reverse("portal:ledger_xlsx", args=[w.east.pk])).status_code == 403


def test_downloads_lists_only_visible_documents(w, client):
    from documents.models import GeneratedDocument

    world.round_in_publicity(w)
    docs = GeneratedDocument.objects.filter(organisation=w.east)
    assert docs.exists(), "the chain's steps produced documents"
    client.force_login(w.secretary)
    html = client.get(reverse("portal:downloads")).content.decode()
    assert all(reverse("documents:download", args=[d.pk]) in html for d in docs if d.file)
    client.force_login(w.west_secretary)
    html = client.get(reverse("portal:downloads")).content.decode()
    assert not any(reverse("documents:download", args=[d.pk]) in html for d in docs)


def test_bulk_registration_cards_with_progress(w, client):
    from documents.models import BulkJob

    client.force_login(w.secretary)
    response = client.post(reverse("portal:downloads"), {"organisation": w.east.pk})
    assert response.status_code == 302
    job = BulkJob.objects.get()
    assert job.total == len(w.members)
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and f"/{job.total}" in page
    client.force_login(w.west_secretary)
    assert client.get(response["Location"]).status_code == 403


def test_english_mode_is_english(w, client):
    from django.conf import settings

    client.force_login(w.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "Workbench" in html and "My tasks" in html and "工作台" not in html
    assert 'lang="en"' in html


def test_declare_against_the_scheme_in_force(w, client):
    from schemes.models import Scheme

    year = world.local_today().year
    Scheme.objects.create(organisation=w.general, name="钟祥", cycle_start=datetime.date(year, 1, 1),
                          cycle_end=datetime.date(year, 12, 31)).revise(preset_key="zhongxiang-governance")
    client.force_login(w.member_user)
    form = client.get(reverse("reviews:declare")).content.decode()
    assert "<optgroup" in form and "virtue::blood_donation" in form and "参与义务献血（5 分）" in form
    data = {"item": "virtue::blood_donation", "points": "8", "quantity": "1",
            "occurred_on": world.local_today().replace(day=1).isoformat(), "description": "献血"}
    response = client.post(reverse("reviews:declare"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "固定为 5.00 分" in html
    assert re.search(r'field-error[^>]*>\s*<label for="id_points"', html), "the error sits beside the points field"
    data["points"] = ""
    data["quantity"] = "2"
    response = client.post(reverse("reviews:declare"), data)
    assert response.status_code == 302
    d = w.members[0].declarations.get()
    assert d.points == Decimal("10.00") and d.rule_item_label == "参与义务献血"


def test_declare_form_labels_items_by_what_the_scheme_allows_and_places_errors_on_the_item():
    import scoring_engine
    from django.core.exceptions import ValidationError

    from reviews.views.declarations import DeclarationForm, _on_item_field, item_choices

    scheme = scoring_engine.load_preset("resort-rural")
    with translation.override("zh-hans"):
        [(group, options)] = [g for g in item_choices(scheme) if g[0] == "贡献加分"]
    labels = dict(options)
    assert labels["contribution::suggestion"].endswith("（5 分）")
    assert labels["contribution::public_welfare"].endswith("（5–10 分）")
    assert labels["contribution::other"] == "其他贡献加分事项"
    form = DeclarationForm(scheme=scheme)
    moved = _on_item_field(form, ValidationError({"rule_item": ValidationError("x", code="unknown_item"),
                                                  "points": ValidationError("y", code="points_required")}))
    assert {f: [e.code for e in errors] for f, errors in moved.error_dict.items()} == {
        "item": ["unknown_item"], "points": ["points_required"]}
    plain = ValidationError({"component": ValidationError("x")})
    assert _on_item_field(DeclarationForm(), plain) is plain


def test_member_home_points_to_the_open_board(w, client):
    world.round_in_publicity(w)
    client.force_login(w.member_user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("public_board", args=[w.east.code]) in html and "公示期内可提出异议" in html
