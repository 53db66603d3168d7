"""Every preset carries an English label for every word it shows people, and English mode shows them."""
import pytest
from django.utils import translation

import scoring_engine
from scoring_engine import presets
from scoring_engine.english import missing_words, unknown_words


@pytest.mark.parametrize("key", presets.preset_keys())
def test_every_preset_labels_every_word_in_english(key):
    scheme = presets.load_preset(key)
    kinds = [c.label for c in scheme.components] + list(scheme.appraisal_votes)
    assert set(kinds) <= set(scheme.words)
    assert missing_words(scheme) == [] and unknown_words(scheme) == []
    for word in scheme.words:
        english = scheme.english_label(word)
        assert english.isascii() and english.strip() == english and english, (key, word, english)
        assert "，" not in english and "（" not in english


def test_items_grades_votes_and_categories_are_covered():
    zx = presets.load_preset("zhongxiang-governance")
    assert zx.english_label("家庭内外环境整洁（当月）") == "Clean and tidy home, inside and out (this month)"
    assert zx.english_label("household") == "Households"  # a category code
    county = presets.load_preset("county-7-3")
    assert [county.english_label(g) for g in ("优秀", "基本合格", "差")] == ["Excellent", "Basically qualified", "Poor"]
    assert county.english_label("not a word") == "not a word"


def test_a_label_must_be_text():
    document = presets.resolve(presets.preset_document("county-7-3"))
    document["english"] = dict(document["english"], 优秀="")
    with pytest.raises(scoring_engine.SchemeError, match="english"):
        scoring_engine.parse_scheme(document)


def test_a_scenario_replacing_components_keeps_the_scheme_readable():
    scheme = presets.load_preset("county-7-3", {"components": [{"name": "daily", "label": "日常"}, {
        "name": "appraisal", "label": "评议", "from_appraisal": True}]})
    assert missing_words(scheme) == ["日常", "评议"] and scheme.english_label("日常") == "日常"
    assert "日常行为积分" in unknown_words(scheme)


@pytest.mark.django_db
def test_english_mode_shows_the_scheme_words(county, login):
    import datetime

    from appraisals.services import evaluations
    from schemes.models import Scheme
    from workdays.clock import local_today

    year = local_today().year
    scheme = Scheme.objects.create(organisation=county.town, name="党员积分制管理",
                                   cycle_start=datetime.date(year, 1, 1), cycle_end=datetime.date(year, 12, 31))
    scheme.revise(preset_key="county-7-3")
    evaluation = evaluations.open_evaluation(organisation=county.east, by=county.secretary)
    for member in county.members:
        evaluations.record_appraisal(evaluation, member, county.clerk,
                                     votes={"优秀": 6, "良好": 3, "合格": 1, "差": 0})
    evaluations.finish_appraisal(evaluation, county.clerk, confirm=True)  # no ledger entries, confirmed
    client = login(county.secretary)
    with translation.override("en"):
        page = client.get(f"/appraisals/{evaluation.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        sheet = client.get(f"/appraisals/{evaluation.pk}/appraisal/", HTTP_ACCEPT_LANGUAGE="en")
        form = client.get("/me/declarations/new/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Daily conduct points" in text and "日常行为积分" not in text
    grades = {r.grade for r in evaluation.results.all()}
    assert grades and all(presets.load_preset("county-7-3").english_label(g) in text for g in grades)
    assert "Excellent" in sheet.content.decode() and "优秀票" not in sheet.content.decode()
    assert form.status_code in (200, 403)
    with translation.override("zh-hans"):
        zh = client.get(f"/appraisals/{evaluation.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "日常行为积分" in zh and "Daily conduct points" not in zh
