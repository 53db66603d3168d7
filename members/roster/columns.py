"""The roster's columns: canonical headers (the export order), the aliases an import accepts, cell text."""
import re
import unicodedata

#: (field key, canonical header, accepted aliases). Order is the export order.
COLUMNS = [
    ("name", "姓名", ()),
    ("gender", "性别", ()),
    ("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证")),
    ("birth_date", "出生日期", ("出生年月日",)),
    ("joined_on", "入党日期", ("入党时间",)),
    ("kind", "身份", ("党员身份", "人员身份")),
    ("category", "类别", ("党员类别", "人员类别")),
    ("branch", "所在支部", ("所在党支部", "所在组织", "所在党组织", "支部", "党支部")),
    ("branch_code", "支部编码", ("组织编码",)),
    ("phone", "联系电话", ("电话", "手机", "手机号", "手机号码")),
    ("household_size", "家庭人口", ("家庭人口数",)),
]
HEADERS = [c[1] for c in COLUMNS]
#: Any accepted header (canonical or alias) -> field key.
HEADER_LOOKUP = {h: key for key, header, aliases in COLUMNS for h in (header, *aliases)}
#: Headers accepted and left unread: a row number column is in every clerk's roster.
IGNORED_HEADERS = frozenset({"序号", "编号", "No.", "NO.", "No"})
#: Field key -> canonical header.
HEADER_OF = {c[0]: c[1] for c in COLUMNS}


def normalise_header(value):
    """A header cell as looked up: spaces and required-field stars removed, a trailing (note) dropped."""
    text = "" if value is None else unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"[\s\u3000*＊\u200b-\u200f\ufeff]", "", text)
    text = re.sub(r"[（(].*?[)）]$", "", text)
    return text


def cell_text(value):
    """A cell's value as stripped text ("" for empty); whole floats lose ".0", a leading ' is dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace("\u3000", " ").strip()
    if text.startswith("'"):  # spreadsheet text marker, also what our export writes
        text = text[1:].strip()
    return text
