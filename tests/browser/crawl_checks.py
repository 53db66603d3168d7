"""What the browser crawl looks for on each page: words in the wrong language, raw ids and keys.

``page_text(page)`` returns the visible UI text of a page, without text inside an element that
carries its own ``lang`` (the language switch), form values, scripts and styles.
``problems(text, language, data)`` lists what is wrong: Latin words in zh-hans (except product
and format names), CJK in English unless it is part of the data (names, organisations, scheme
labels: ``data`` is every text the database holds), raw ids (``#8/42``) and keys (``branch_meeting``).
"""
import re

ALLOWED_LATIN = {"jifen", "PDF", "Word", "Excel", "WPS", "xlsx", "xls", "csv", "docx", "MB", "GB", "T", "ods",
                 "English", "ID", "UTF", "GBK", "JPEG", "PNG", "WebP", "HEIC", "Alpha"}
#: Chinese an English page shows on purpose: the column names a file must use, the date forms it accepts.
ALLOWED_CJK = {"姓名", "年", "月", "日", "优秀", "良好", "合格", "差", "得分", "身份证号", "钟祥"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")
RAW_ID = re.compile(r"#\d+(/\d+)?")
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
FILE_NAME = re.compile(r"\S+\.(png|jpe?g|pdf|docx|xlsx|csv|zip|webp|heic)\b", re.I)

#: JavaScript run in the page: visible text nodes not inside script/style or an element with its own lang.
TEXT_JS = """() => {
  const out = [];
  const pageLang = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('script,style,noscript,template')) continue;
    const langEl = el.closest('[lang]');
    if (langEl && langEl !== document.documentElement && langEl.lang !== pageLang) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label],[title],input[placeholder]')) {
    for (const a of ['aria-label', 'title', 'placeholder']) { if (el.getAttribute(a)) out.push(el.getAttribute(a)); }
  }
  out.push(document.title);
  return out;
}"""


def page_text(page):
    return page.evaluate(TEXT_JS)


def _strip_data(text, data):
    for value in data:
        if (len(value) >= 2 or CJK_RUN.match(value)) and value in text:
            text = text.replace(value, " ")
    return text


def problems(texts, language, data):
    """``[problem]`` for the page's texts in ``language``; ``data``: data strings, longest first."""
    found = []
    for raw in texts:
        text = FILE_NAME.sub(" ", raw)
        if RAW_ID.search(text):
            found.append(f"raw id {RAW_ID.search(text).group(0)!r} in «{raw[:80]}»")
        cleaned = _strip_data(text, data)
        key = RAW_KEY.search(cleaned)
        if key:
            found.append(f"raw key {key.group(0)!r} in «{raw[:80]}»")
        if language.startswith("zh"):
            words = [w for w in LATIN_WORD.findall(cleaned) if w not in ALLOWED_LATIN]
            if words:
                found.append(f"English {words[:5]} in «{raw[:80]}»")
        else:
            runs = CJK_RUN.findall(cleaned)
            runs = [r for r in runs if re.search(r"[\u3400-\u9fff]", r) and r.strip("“”（）()、，,") not in ALLOWED_CJK]
            if runs:
                found.append(f"Chinese {runs[:5]} in «{raw[:80]}»")
    return found
