"""Issue 13, item 12: bad query parameters on every list page give 400 or are ignored, never a 500."""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from safeguards.params import page_number, parse_int
from tests import world

pytestmark = pytest.mark.django_db

#: Each line tries several parameters at once (a page reads all it knows); together they cover the kinds.
BAD = [
    "page=99999999999999999999&org=1 OR 1=1&cycle=2026-13-45&year=99999999999999999999&village=1 OR 1=1",
    "page=abc&org=99999999999999999999&village=99999999999999999999&kind=%00&flow=%00&tab=x&status=x&q=%00",
    "page=-1&org=-5&cycle=99999-01-01&o=-nope&ordering=__class__&_page=abc",
    "page=1e3&org=abc&show=unread&o=99999999999999999999",
    "page=%EF%BC%91&org=1;DROP TABLE x&year=abc",
    "page=%C2%B2&org=%C2%B2&village=%C2%B2&year=%C2%B2",  # "²": str.isdigit() says yes, int() says no
]
SKIP_PREFIXES = ("admin/", "i18n/", "logout/", "display/")


def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def _list_urls(county):
    urls = set()
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or route.startswith("^"):
            continue
        url = re.sub(r"<int:org_id>", str(county.east.pk), route)
        url = url.replace("<str:fmt>", "xlsx").replace("<slug:code>", county.east.code)
        if "<" in url:
            continue  # needs a particular object; the list pages have none
        urls.add("/" + url)
    return sorted(urls)


def test_parse_int_ignores_anything_but_a_plain_number_in_range():
    assert parse_int("12") == 12 and parse_int(" 7 ") == 7
    for bad in ("abc", "1 OR 1=1", "-1", "1e3", "１", "99999999999999999999", "", None, "٣"):
        assert parse_int(bad) is None, bad
    assert page_number({"page": "0"}) == 1 and page_number({"page": "3"}) == 3
    assert page_number({"page": "99999999999999999999"}) == 1


def test_no_list_page_answers_bad_parameters_with_a_500(county, client):
    client.raise_request_exception = False
    world.round_in_publicity(county)  # lists with something in them
    failures = []
    urls = _list_urls(county)
    assert len(urls) > 20, urls
    for user in (county.secretary,):
        client.force_login(user)
        for url in urls:
            for query in BAD:
                response = client.get(f"{url}?{query}")
                if response.status_code >= 500:
                    failures.append(f"{user.username} {url}?{query} → {response.status_code}")
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} in all)"
