"""Each preset's [review] section, read against the source text, and the section's own rules."""
import re

import pytest

import scoring_engine
from scoring_engine import SchemeError, parse_scheme
from scoring_engine.review import CADENCES, DEFAULT_REVIEW, MIN_PUBLICITY_DAYS

from .test_validation import minimal_scheme

#: preset -> (review cadence, publicity cadence, publicity days, 党建指导员 signs); see each preset's review.source.
EXPECTED = {
    "chengde-pioneer-index": ("quarterly", "quarterly", 7, False),     # 篇四 l.157 每季度一公示
    "chunhe-street": ("quarterly", "quarterly", 7, False),             # 篇十二 l.399, l.401
    "county-7-3": ("quarterly", "quarterly", 7, False),                # 篇二 l.99
    "dagaowei-village": ("monthly", "monthly", 7, False),              # 篇十五 l.1145 每月党员大会公布
    "dongtang-categories": ("quarterly", "half-yearly", 7, False),     # 篇十六 东塘 l.1779 每半年公示
    "food-seller-risk": ("yearly", "yearly", 7, False),                # 篇一 l.13 年度评定
    "hongjiang-township": ("quarterly", "quarterly", 7, False),        # 篇十四: no cadence, provincial practice
    "household-grid": ("monthly", "quarterly", 7, False),              # 篇十六 浆水 l.1239 一月一审核、一季一公示
    "resort-rural": ("quarterly", "quarterly", 7, True),               # 篇十六 度假区 l.1293 党建指导员签字
    "star-five-school": ("quarterly", "half-yearly", 7, False),        # 篇十三 学校 l.619, l.625 每学期公示
    "star-nonpublic": ("yearly", "yearly", 7, False),                  # 篇十三 非公 l.787–793
    "star-oilfield-quarterly": ("quarterly", "quarterly", 7, False),   # 篇十三 作业区 l.697
    "star-ten": ("monthly", "monthly", 7, False),                      # 篇十三 机关 l.483, l.497
    "street-three-classes": ("yearly", "yearly", 7, False),            # 篇十 l.297, l.317 每年公示
    "teacher-reading": ("quarterly", "quarterly", 7, False),           # 篇八: no procedure, provincial practice
    "zhongxiang-governance": ("monthly", "quarterly", 7, False),       # 篇十六 钟祥 l.1469–1471
}


def test_every_preset_writes_its_review_section_and_says_where_it_comes_from():
    assert sorted(EXPECTED) == scoring_engine.preset_keys()
    for key, expected in EXPECTED.items():
        document = scoring_engine.preset_document(key)
        assert "review" in document, key
        review = scoring_engine.load_preset(key).review
        assert (review.cadence, review.publicity_cadence, review.publicity_days, review.rural) == expected, key
        assert review.source.startswith("篇") and re.search(r"l\.\d", review.source), key


def test_months_follow_the_cadence():
    review = scoring_engine.load_preset("zhongxiang-governance").review
    assert (review.months, review.publicity_months) == (1, 3)
    assert CADENCES == {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def test_without_a_section_the_provincial_defaults_apply():
    review = parse_scheme(minimal_scheme()).review
    assert review is DEFAULT_REVIEW
    assert (review.cadence, review.publicity_cadence, review.publicity_days, review.rural) == ("quarterly", "quarterly",
                                                                                              MIN_PUBLICITY_DAYS, False)


def test_publicity_cadence_defaults_to_the_review_cadence():
    review = parse_scheme(minimal_scheme(review={"cadence": "monthly"})).review
    assert (review.cadence, review.publicity_cadence, review.publicity_days) == ("monthly", "monthly", 7)


@pytest.mark.parametrize("legacy, cadence", [("month", "monthly"), ("quarter", "quarterly")])
def test_versions_stored_with_the_legacy_period_kind_still_read(legacy, cadence):
    review = parse_scheme(minimal_scheme(review={"period_kind": legacy, "publicity_days": "10"})).review
    assert (review.cadence, review.publicity_cadence, review.publicity_days) == (cadence, cadence, 10)


@pytest.mark.parametrize("section, path", [
    ({"cadence": "monthly", "period_kind": "month"}, "review.period_kind"),
    ({"cadence": "quarterly", "publicity_cadence": "monthly"}, "review.publicity_cadence"),
    ({"cadence": "yearly", "publicity_cadence": "half-yearly"}, "review.publicity_cadence"),
    ({"publicity_cadence": "weekly"}, "review.publicity_cadence"),
    ({"rural": "yes"}, "review.rural"),
    ({"source": ""}, "review.source"),
])
def test_bad_review_sections_are_refused_naming_the_field(section, path):
    with pytest.raises(SchemeError) as caught:
        parse_scheme(minimal_scheme(review=section))
    assert caught.value.path == path
