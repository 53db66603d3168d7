"""Validating one roster row: name, ID number, dates, gender, kind, category, phone, household, branch.

Every problem becomes a report entry naming the row and the column; an ID number is shown
masked. The branch is resolved within the organisations the importing user may manage.
"""
import datetime
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.permissions import BRANCH_STAFF, organisations_for

from ..checks import check_adult_when_joined, check_day, check_name, check_phone, normalise_code
from ..idcard import birth_date as id_birth_date
from ..idcard import mask, validate_id_number
from ..models import DatePrecision, Gender, MemberKind
from .columns import HEADER_OF, cell_text
from .report import row_error
from workdays.wording import join_list

_KIND_ALIASES = {
    **{str(label): value for value, label in MemberKind.choices},
    "正式党员": MemberKind.PARTY_MEMBER,
    "积极分子": MemberKind.ACTIVIST,
    "户": MemberKind.HOUSEHOLD,
    "户主": MemberKind.HOUSEHOLD,
}
_GENDER_ALIASES = {"男": Gender.MALE, "男性": Gender.MALE, "M": Gender.MALE, "女": Gender.FEMALE,
                   "女性": Gender.FEMALE, "F": Gender.FEMALE}
MASKED_ID = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]
_PARTIAL_DATE = re.compile(r"^\d{4}(年|[-/.年]\d{1,2}月?)?$|^\d{6}$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")


def parse_date(value):
    """A whole date from an Excel date cell or text such as 2025-03-06, 2025/3/6, 2025年3月6日.

    Raises ValueError with a Chinese message (a year-month date is incomplete here).
    """
    day, precision = parse_roster_date(value, allow_month=False)
    return day


def _number_as_date(value):
    """(date, precision) for a number typed into a date cell, or None when it is an Excel serial.

    19850306 is 6 March 1985; 1985.03 is March 1985 (never Excel's day 1985 of 1905); 1985.1 is
    refused because Excel shows 1985.10 as 1985.1, so January and October cannot be told apart.
    """
    if float(value).is_integer() and 19000101 <= value <= 21001231:
        return parse_roster_date(str(int(value)))
    if 1900 <= value < 2101:
        year, _dot, fraction = repr(float(value)).partition(".")
        if fraction in ("", "0"):
            raise ValueError(_("日期不完整，需要年、月、日，例如 2025-03-06"))
        if fraction == "1":
            raise ValueError(_("“%(v)s”可能是1月也可能是10月，请写成 %(y)s-01 或 %(y)s-10") % {"v": value, "y": year})
        if len(fraction) <= 2 and 1 <= int(fraction) <= 12:  # 1985.3 (1985.30 has no month 30) or 1985.03
            return datetime.date(int(year), int(fraction), 1), DatePrecision.MONTH
        raise ValueError(_("无法识别的日期，请写成 2025-03-06、2025/3/6 或 2025年3月6日"))
    return None


def parse_roster_date(value, allow_month=True):
    """(date, DatePrecision) from a cell; year-month dates (2020.05, 2020年5月, 2020/5) are the 1st, MONTH.

    Raises ValueError with a Chinese message.
    """
    if isinstance(value, datetime.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found = _number_as_date(value)
        if found is not None:
            if found[1] == DatePrecision.MONTH and not allow_month:
                raise ValueError(_("日期不完整，需要年、月、日，例如 2025-03-06"))
            return found
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date(), DatePrecision.DAY
    text = _TIME_SUFFIX.sub("", cell_text(value))
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return datetime.date(int(m[1]), int(m[2]), int(m[3])), DatePrecision.DAY
            except ValueError:
                raise ValueError(_("日期不存在")) from None
    if allow_month:
        for pattern in _MONTH_PATTERNS:
            m = pattern.match(text)
            if m:
                if not 1 <= int(m[2]) <= 12:
                    raise ValueError(_("日期不存在"))
                return datetime.date(int(m[1]), int(m[2]), 1), DatePrecision.MONTH
    if _PARTIAL_DATE.match(text):
        raise ValueError(_("日期不完整，需要年、月、日，例如 2025-03-06"))
    raise ValueError(_("无法识别的日期，请写成 2025-03-06、2025/3/6 或 2025年3月6日"))


class Scope:
    """Organisations the importing user may write members into."""

    def __init__(self, user, organisation):
        self.organisation = organisation
        allowed = organisations_for(user, BRANCH_STAFF).filter(path__startswith=organisation.path)
        self.allowed = {o.pk: o for o in allowed}
        self.by_code = {o.code: o for o in self.allowed.values()}
        self.by_name = defaultdict(list)
        for o in self.allowed.values():
            self.by_name[o.name].append(o)
            if o.short_name and o.short_name != o.name:
                self.by_name[o.short_name].append(o)
        self.has_children = organisation.children.exists()

    def resolve(self, name, code):
        """(organisation, None) or (None, error message)."""
        if code:
            if code in self.by_code:
                found = self.by_code[code]
                if name and name not in (found.name, found.short_name, found.code):
                    return None, _("所在支部“%(name)s”与支部编码“%(code)s”（%(real)s）不一致") % {
                        "name": name, "code": code, "real": found.name}
                return found, None
            if Organisation.objects.filter(code=code).exists():
                return None, _("支部编码“%(code)s”不在您可管理的范围内") % {"code": code}
            return None, _("找不到编码为“%(code)s”的组织") % {"code": code}
        if not name:
            if self.has_children:
                return None, _("未填写所在支部（“%(org)s”下设多个组织，必须写明）") % {"org": self.organisation}
            return self.organisation, None
        if name in self.by_code:
            return self.by_code[name], None
        candidates = self.by_name.get(name, [])
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            return None, _("有%(n)d个组织都叫“%(name)s”，请改填支部编码") % {"n": len(candidates), "name": name}
        if Organisation.objects.filter(name=name).exists() or Organisation.objects.filter(code=name).exists():
            return None, _("“%(name)s”不在您可管理的范围内，不能导入到该组织") % {"name": name}
        return None, _("找不到名为“%(name)s”的组织") % {"name": name}


def validate_row(number, raw, scope, categories, today):
    """(clean dict, errors) for one row. Values left blank are absent from the dict."""
    errors = []
    clean = {"row": number}

    def err(key, value, message):
        shown = value
        if key == "id_number" and value and not MASKED_ID.match(str(value)):
            shown = mask(str(value)) if len(str(value)) >= 10 else value
        errors.append(row_error(number, HEADER_OF[key], shown, message))

    name = cell_text(raw.get("name"))
    try:
        clean["name"] = check_name(name)
    except ValidationError as exc:
        err("name", name, exc.messages[0])

    value = raw.get("id_number")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        err("id_number", value, _("身份证号被 Excel 存成了数字，后几位可能已丢失；请把该列设为“文本”格式后重新录入"))
    else:
        text = normalise_code(cell_text(value))
        if _SCIENTIFIC.match(text):
            err("id_number", text, _("身份证号被 Excel 显示成了科学计数法，后几位已丢失；请把该列设为“文本”格式后重新录入"))
        elif MASKED_ID.match(text):
            clean["masked_id"] = text
        elif text:
            try:
                clean["id_number"] = validate_id_number(text)
            except ValueError as exc:
                err("id_number", text, exc)

    for key in ("birth_date", "joined_on"):
        value = raw.get(key)
        if value is None or cell_text(value) == "":
            continue
        try:
            day, precision = parse_roster_date(value)
            check_day(day, today, key)
        except ValueError as exc:
            err(key, cell_text(value), exc)
            continue
        except ValidationError as exc:
            err(key, day.isoformat(), exc.messages[0])
            continue
        clean[key], clean[f"{key}_precision"] = day, precision

    if "id_number" in clean:
        born = id_birth_date(clean["id_number"])
        given = clean.get("birth_date")
        if given is not None and (given.year, given.month) != (born.year, born.month) or (
                given is not None and clean["birth_date_precision"] == DatePrecision.DAY and given != born):
            err("birth_date", given.isoformat(), _("与身份证号中的出生日期%(d)s不一致") % {"d": born.isoformat()})
        clean["birth_date"], clean["birth_date_precision"] = born, DatePrecision.DAY
    if "birth_date" in clean and "joined_on" in clean:
        try:
            check_adult_when_joined(clean["birth_date"], clean["joined_on"])
        except ValidationError as exc:
            err("joined_on", clean["joined_on"].isoformat(), exc.messages[0])

    text = cell_text(raw.get("gender"))
    if text:
        if text.upper() in _GENDER_ALIASES or text in _GENDER_ALIASES:
            clean["gender"] = _GENDER_ALIASES.get(text) or _GENDER_ALIASES[text.upper()]
        else:
            err("gender", text, _("性别只能填“男”或“女”"))
    if "id_number" in clean:
        from_id = Gender.MALE if int(clean["id_number"][16]) % 2 else Gender.FEMALE
        if "gender" in clean and clean["gender"] != from_id:
            err("gender", text, _("与身份证号显示的性别不一致"))
        clean.setdefault("gender", from_id)

    text = cell_text(raw.get("kind"))
    if text:
        if text in _KIND_ALIASES:
            clean["kind"] = _KIND_ALIASES[text]
        else:
            err("kind", text, _("身份应为：%(choices)s") % {"choices": join_list(str(lbl) for _v, lbl in MemberKind.choices)})

    text = cell_text(raw.get("category"))
    if text:
        if text in categories:
            clean["category"] = categories[text]
        else:
            names = sorted({c.name for c in categories.values()})
            err("category", text, _("未知的类别，可选：%(choices)s") % {"choices": join_list(names) or _("（系统中尚无类别）")})

    text = cell_text(raw.get("phone"))
    if text:
        try:
            clean["phone"] = check_phone(text)
        except ValidationError as exc:
            err("phone", text, exc.messages[0])

    value = raw.get("household_size")
    text = cell_text(value)
    if text:
        if text.isdigit() and 1 <= int(text) <= 50:
            clean["household_size"] = int(text)
        else:
            err("household_size", text, _("家庭人口应为1到50之间的整数"))

    branch_name, branch_code = cell_text(raw.get("branch")), cell_text(raw.get("branch_code"))
    organisation, message = scope.resolve(branch_name, branch_code)
    if message:
        key = "branch_code" if branch_code else "branch"
        err(key, branch_code or branch_name, message)
    else:
        clean["organisation"] = organisation
    return clean, errors
