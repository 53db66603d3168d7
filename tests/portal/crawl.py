"""A same-site link crawler for the Django test client, with a check of the navigation's language."""
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

SKIP = re.compile(
    r"^/(admin|i18n|logout|static)/|/(assign|unassign|cancel|undo|revive|execute)/$|format=pdf|/bulk/\d+/download/"
)
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3400-\u9fff]")
#: Words allowed in Chinese navigation (product and file-format names).
ALLOWED_LATIN = {"jifen", "PDF", "Word", "Excel", "xlsx", "csv"}


class _Links(HTMLParser):
    """Collects links and the visible text of ``<nav>`` elements.

    Skipped: icon ligatures (``material-icons``) and text in an element carrying its own
    ``lang`` attribute (e.g. a language switch offering “English” and “简体中文” by their
    own names), which is correctly marked as another language.
    """

    def __init__(self):
        super().__init__()
        self.links = []
        self.nav_depth = 0
        self.icon_depth = 0
        self.lang_stack = []
        self.nav_text = []
        self.controls = []  # (tag, id, has_own_label) of form controls
        self.label_for = set()
        self.label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "nav":
            self.nav_depth += 1
        if self.icon_depth or (tag in ("i", "span") and "material-icons" in (attrs.get("class") or "")):
            self.icon_depth += 1
        if tag in ("option", "span") and attrs.get("lang"):
            self.lang_stack.append(tag)
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button", "reset"):
            own = bool(attrs.get("aria-label") or attrs.get("aria-labelledby") or attrs.get("title")) or self.label_depth > 0
            self.controls.append((tag, attrs.get("id"), attrs.get("name"), own))

    def handle_endtag(self, tag):
        if tag == "label" and self.label_depth:
            self.label_depth -= 1
        if tag == "nav" and self.nav_depth:
            self.nav_depth -= 1
        if self.icon_depth and tag in ("i", "span"):
            self.icon_depth -= 1
        if self.lang_stack and self.lang_stack[-1] == tag:
            self.lang_stack.pop()

    def handle_data(self, data):
        if self.nav_depth and not self.icon_depth and not self.lang_stack and data.strip():
            self.nav_text.append(data.strip())


def parse(html):
    p = _Links()
    p.feed(html)
    return p.links, " ".join(p.nav_text)


def unlabelled_controls(html):
    """Form controls without a label (``<label for>``, a wrapping label, aria-label or aria-labelledby)."""
    p = _Links()
    p.feed(html)
    return [(tag, name) for tag, cid, name, own in p.controls if not own and (cid is None or cid not in p.label_for)]


def language_problems(nav_text, language):
    """Words in the navigation that are not in ``language``."""
    if language.startswith("zh"):
        return [w for w in ASCII_WORD.findall(nav_text) if w not in ALLOWED_LATIN]
    return CJK.findall(nav_text)


def shape(url):
    return re.sub(r"\d+", "N", urlparse(url).path)


def crawl(client, start="/", language="zh-hans", max_pages=80, per_shape=2):
    """Visit every same-site link reachable from ``start``; return ``(visited, failures)``.

    A failure is ``(url, problem)``: a 5xx, an exception, or navigation text in the wrong language.
    """
    queue = deque([start])
    seen, shapes = set(), {}
    visited, failures = [], []
    while queue and len(visited) < max_pages:
        url = urldefrag(queue.popleft())[0]
        if url in seen:
            continue
        seen.add(url)
        s = shape(url)
        if shapes.get(s, 0) >= per_shape:
            continue
        shapes[s] = shapes.get(s, 0) + 1
        try:
            response = client.get(url)
        except Exception as exc:  # noqa: BLE001 - a template or view error is what we look for
            failures.append((url, f"exception {type(exc).__name__}: {exc}"))
            continue
        visited.append((url, response.status_code))
        if response.status_code >= 500:
            failures.append((url, f"HTTP {response.status_code}"))
            continue
        if response.status_code in (301, 302):
            location = response["Location"]
            if location.startswith("/") and not SKIP.search(location):
                queue.append(location)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        links, nav_text = parse(response.content.decode("utf-8", "replace"))
        if not url.startswith("/workflow/"):
            missing = unlabelled_controls(response.content.decode("utf-8", "replace"))
            if missing:
                failures.append((url, f"form controls without a label: {missing}"))
        wrong = language_problems(nav_text, language)
        if wrong:
            failures.append((url, f"navigation not in {language}: {wrong[:8]} in «{nav_text[:200]}»"))
        for href in links:
            if href.startswith("/") and not href.startswith("//") and not SKIP.search(href):
                queue.append(href)
    return visited, failures
