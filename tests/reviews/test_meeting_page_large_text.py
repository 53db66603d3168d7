"""Trial 5: the meeting page in large text (长辈版) broke its headers inside words (申报分/值), and kept an
empty selection column and the select-all box once every item was decided."""
import re

import pytest
from django.urls import reverse

from reviews.services import meeting
from tests import world

pytestmark = pytest.mark.django_db


def test_header_words_stay_whole_and_the_selection_column_goes_once_all_are_decided(w, client):
    world.declare(w)
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    client.force_login(w.secretary)
    client.post("/display/", {"large": "1", "next": "/"})
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    html = client.get(url).content.decode()
    assert 'class="large"' in html
    assert re.search(r"(^|[}\s])th\{[^}]*word-break:keep-all", html)
    assert 'id="select-all"' in html and 'name="selected"' in html
    meeting.bulk_approve(rr, w.secretary)
    html = client.get(url).content.decode()
    assert 'id="select-all"' not in html and 'name="selected"' not in html
    assert 'value="bulk_approve"' not in html
    header = re.search(r'<table class="decisions stack">\s*<thead><tr>(.*?)</tr></thead>', html, re.S).group(1)
    assert header.count("<th") == 7  # 成员 事项 申报分值 佐证 认定结果 调整后分值 理由
