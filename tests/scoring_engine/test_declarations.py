"""The parsed scheme answers declaration questions: the item, its sign, fixed points or a range."""
from decimal import Decimal

import pytest

import scoring_engine
from scoring_engine import DeclarationError, parse_scheme
from scoring_engine.declarations import EITHER, MINUS, PLUS
from scoring_engine.errors import DECLARATION_CODES

from .test_validation import minimal_scheme

D = Decimal


def refused(rule, points=None, quantity=1):
    with pytest.raises(DeclarationError) as caught:
        rule.resolve(points, quantity)
    return caught.value


def test_a_fixed_item_fills_its_points_in_times_the_quantity_and_refuses_others():
    rule = scoring_engine.load_preset("zhongxiang-governance").item_rule("virtue", "blood_donation")
    assert (rule.label, rule.fixed, rule.ranged, rule.points) == ("参与义务献血", True, False, D(5))
    assert (rule.minimum, rule.maximum, rule.sign, rule.sign_label) == (D(5), D(5), PLUS, "加分")
    assert rule.resolve(None, 2) == D("10.00") and str(rule.resolve(None, 2)) == "10.00"
    assert rule.resolve("10", 2) == D(10)
    error = refused(rule, "8")
    assert (error.path, error.code) == ("points", "points_fixed_by_item")
    assert error.params == {"item_label": "参与义务献血", "fixed": D("5.00"), "quantity": 1, "given": D(8)}


def test_a_ranged_item_takes_points_within_its_range_per_unit():
    """度假区 (篇十六 l.1279): 参与村集体义务劳动和公益活动 加5-10分."""
    rule = scoring_engine.load_preset("resort-rural").item_rule("contribution", "public_welfare")
    assert (rule.fixed, rule.ranged, rule.points, rule.minimum, rule.maximum) == (False, True, None, D(5), D(10))
    assert rule.sign == PLUS
    assert rule.resolve("7.5") == D("7.5")
    assert rule.resolve(D(20), 2) == D(20)
    for points, quantity in (("4", 1), ("10.01", 1), ("21", 2), ("9", 2)):
        error = refused(rule, points, quantity)
        assert (error.path, error.code) == ("points", "points_out_of_range")
    assert refused(rule, "21", 2).params["minimum"] == D(10) and refused(rule, "21", 2).params["maximum"] == D(20)
    assert refused(rule).code == "points_required"
    assert refused(rule, "-6").code == "points_must_be_positive"


def test_a_free_item_takes_points_of_the_components_sign():
    chunhe = scoring_engine.load_preset("chunhe-street")
    bonus = chunhe.item_rule("bonus", "J-03")
    assert (bonus.item, bonus.label, bonus.fixed, bonus.minimum, bonus.maximum) == (None, "J-03", False, None, None)
    assert bonus.sign == EITHER and bonus.resolve("-2") == D(-2)
    deduction = chunhe.item_rule("deduction", "K-02")
    assert (deduction.sign, deduction.minimum, deduction.maximum) == (MINUS, D(0), None)
    assert deduction.resolve("2") == D(2) and deduction.signed(D(2)) == D(-2)
    assert chunhe.signed_points("deduction", D(2)) == D(-2) and chunhe.signed_points("bonus", D(-2)) == D(-2)
    assert refused_signing(chunhe, "appraisal").code == "unknown_component"
    error = refused(deduction, "-2")
    assert (error.path, error.code, error.params["component_label"]) == ("points", "points_must_be_positive", "扣分")


def test_a_deduct_component_deducts_whatever_sign_is_written():
    """倒扣 (篇四 先锋指数 daily; 度假区 组织生活): "扣5分" arrives as 5 or as -5, both deduct 5."""
    absence = scoring_engine.load_preset("resort-rural").item_rule("org_life", "absence")
    assert (absence.sign, absence.sign_label, absence.points) == (MINUS, "扣分", D(2))
    assert absence.signed(D(2)) == D(-2) and absence.signed(D(-2)) == D(-2)
    assert scoring_engine.load_preset("resort-rural").signed_points("org_life", D(-2)) == D(-2)
    daily = scoring_engine.load_preset("chengde-pioneer-index").item_rule("daily", "迟到")
    assert daily.sign == MINUS and daily.resolve("-3") == D(-3) and daily.signed(D(-3)) == D(-3)


def test_a_negative_only_component_and_a_negatively_weighted_one():
    scheme = parse_scheme(minimal_scheme(components=[
        {"name": "points", "accepts": "negative"},
        {"name": "penalty", "accepts": "positive", "items": [{"key": "late", "points": 2}]},
        {"name": "appraisal", "from_appraisal": True},
    ], combination={"terms": [{"component": "points"}, {"component": "penalty", "weight": -1},
                              {"component": "appraisal"}]}))
    points = scheme.item_rule("points", "any text")
    assert (points.sign, points.minimum, points.maximum) == (MINUS, None, D(0))
    assert refused(points, "1").code == "points_must_be_negative"
    assert points.signed(D(-1)) == D(-1)
    late = scheme.item_rule("penalty", "late")
    assert (late.sign, late.signed(D(2))) == (MINUS, D(-2))


def test_item_count_and_quantity():
    blog = scoring_engine.load_preset("teacher-reading").item_rule("reading", "blog")  # 篇八 一.1: once
    assert blog.max_count == 1 and blog.resolve(None, 1) == D(50)
    error = refused(blog, None, 2)
    assert (error.path, error.code, error.params) == ("quantity", "item_count_exceeded",
                                                      {"item_label": blog.label, "max_count": 1, "quantity": 2})
    for quantity in (0, -1, True, "2", 1.0):
        assert refused(blog, None, quantity).code == "invalid_quantity"


def test_unknown_component_or_item_names_the_field():
    scheme = scoring_engine.load_preset("zhongxiang-governance")
    for component in ("nonsense", None):
        error = refused_lookup(scheme, component, "x")
        assert (error.path, error.code, error.params["scheme"]) == ("component", "unknown_component", scheme.name)
        assert "公益美德类（virtue）" in error.params["choices"]
    error = refused_lookup(scheme, "virtue", "no_such_item")
    assert (error.path, error.code, error.params["component_label"]) == ("rule_item", "unknown_item", "公益美德类")
    assert "参与义务献血（blood_donation）" in error.params["choices"]
    assert refused_lookup(scheme, "virtue", None).code == "unknown_item"
    chunhe = scoring_engine.load_preset("chunhe-street")
    assert refused_lookup(chunhe, "appraisal", "x").code == "unknown_component"  # 民主评议 takes no declarations


def refused_signing(scheme, component):
    with pytest.raises(DeclarationError) as caught:
        scheme.signed_points(component, D(1))
    return caught.value


def refused_lookup(scheme, component, key):
    with pytest.raises(DeclarationError) as caught:
        scheme.item_rule(component, key)
    return caught.value


def test_every_code_names_its_field_and_unknown_codes_are_a_programming_error():
    assert set(DECLARATION_CODES.values()) == {"component", "rule_item", "quantity", "points"}
    error = DeclarationError("points_required", "msg", item_label="x")
    assert isinstance(error, scoring_engine.SchemeError)
    assert (error.path, error.params) == ("points", {"item_label": "x"})
    with pytest.raises(ValueError):
        DeclarationError("no_such_code", "msg")


@pytest.mark.parametrize("item, path", [
    ({"key": "a", "points": 2, "min": 1}, "components[0].items[0].min"),
    ({"key": "a", "min": 1}, "components[0].items[0].max"),
    ({"key": "a", "max": 1}, "components[0].items[0].min"),
    ({"key": "a", "min": 5, "max": 3}, "components[0].items[0].max"),
    ({"key": "a", "min": -1, "max": 3}, "components[0].items[0].min"),
])
def test_item_ranges_are_validated_with_the_scheme(item, path):
    bad = minimal_scheme()
    bad["components"][0].update(accepts="positive", items=[item])
    with pytest.raises(scoring_engine.SchemeError) as caught:
        parse_scheme(bad)
    assert caught.value.path == path


def test_an_event_on_a_ranged_item_must_be_within_its_range():
    from .util import event, member, run

    ok = run("resort-rural", [member("m1")], [event("m1", "2025-04-02", "contribution", 10, item="public_welfare")])
    assert ok["members"][0]["components"]["contribution"] == 10
    with pytest.raises(scoring_engine.SchemeError) as caught:
        run("resort-rural", [member("m1")], [event("m1", "2025-04-02", "contribution", 11, item="public_welfare")])
    assert caught.value.path == "events[0].points"
