"""The public reads a document's plain name (公示通知), not the staff description with its bracketed
gloss ("公示通知（含公示起止日期和核验二维码）（第 1 版）" nested brackets on /verify/)."""
import re

import pytest
from django.urls import reverse
from django.utils import translation

from documents import services
from documents.kinds import KINDS
from documents.models import GeneratedDocument


BRACKETS = re.compile(r"[（）()]")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_kind_has_a_plain_name(language):
    with translation.override(language):
        glossed = {key: str(kind.title) for key, kind in KINDS.items() if BRACKETS.search(str(kind.title))}
    assert not glossed


def test_verify_page_names_the_kind_plainly(client, branch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.request_document("publicity_notice", organisation=branch,
                                             context={k: v for k, v in KINDS["publicity_notice"].sample.items()
                                                      if k != "doc_number"})
    document.refresh_from_db()
    page = client.get(reverse("verify", args=[document.pk])).content.decode()
    assert "<dd>公示通知</dd>" in page and "含公示起止日期" not in page
    assert GeneratedDocument(kind="publicity_notice", pk=7, version=2).download_name() == "公示通知-7-v2.docx"
