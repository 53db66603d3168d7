"""Reading plain scheme data field by field: numbers as ``Decimal``, every rejection naming its field.

A scheme arrives as plain data (a TOML preset after parameter substitution, an inline
JSON object in a scenario, a JSONField in the database). The parsers of the scheme's
sections (``components``, ``conditions``, ``grading``, ``actions``, ``checks``,
``review``, ``scheme``) read it through :class:`Reader`, so that a typo in a field name is
an error rather than a silently ignored setting.
"""
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import SchemeError, join

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
_MISSING = object()


def round_points(value):
    """``value`` (Decimal) rounded half-up to two places: how every published figure is written."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value, path):
    """Accept int, Decimal, a numeric string or a float (via its shortest repr); never bool."""
    if isinstance(value, bool) or value is None:
        raise SchemeError(path, "应为数字 (expected a number)")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, (float, str)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise SchemeError(path, f"应为数字，收到 {value!r} (expected a number)") from None
    else:
        raise SchemeError(path, f"应为数字，收到 {type(value).__name__} (expected a number)")
    if not result.is_finite():
        raise SchemeError(path, "应为有限数字 (expected a finite number)")
    return result


def to_int(value, path):
    number = to_decimal(value, path)
    if number != number.to_integral_value():
        raise SchemeError(path, f"应为整数，收到 {value} (expected an integer)")
    return int(number)


class Reader:
    """A mapping being read field by field; unknown fields are an error (typos must not pass).

    Each accessor takes the key, an optional default (absent: the field is required) and,
    where it applies, a lower bound or the allowed choices; each raises :class:`SchemeError`
    naming the field. Call :meth:`done` last: it rejects every field nobody read.
    """

    def __init__(self, data, path):
        if not isinstance(data, Mapping):
            raise SchemeError(path, "应为对象/表 (expected an object)")
        self.data = data
        self.path = path
        self.seen = set()

    def has(self, key):
        return key in self.data

    def raw(self, key, default=_MISSING):
        self.seen.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise SchemeError(join(self.path, key), "缺少必填字段 (required field is missing)")
            return default
        return self.data[key]

    def where(self, key):
        return join(self.path, key)

    def decimal(self, key, default=_MISSING, minimum=None):
        if key not in self.data and default is not _MISSING:
            self.seen.add(key)
            return default
        value = self.raw(key)
        if value is None:
            return None
        number = to_decimal(value, self.where(key))
        if minimum is not None and number < minimum:
            raise SchemeError(self.where(key), f"不能小于 {minimum}，收到 {number} (must not be below {minimum})")
        return number

    def integer(self, key, default=_MISSING, minimum=None):
        value = self.raw(key, default)
        if value is None:
            return None
        number = to_int(value, self.where(key))
        if minimum is not None and number < minimum:
            raise SchemeError(self.where(key), f"不能小于 {minimum}，收到 {number} (must not be below {minimum})")
        return number

    def string(self, key, default=_MISSING, choices=None):
        value = self.raw(key, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise SchemeError(self.where(key), "应为非空文本 (expected a non-empty string)")
        if choices is not None and value not in choices:
            raise SchemeError(self.where(key), f"取值 {value!r} 无效，可选：{', '.join(choices)} (invalid choice)")
        return value

    def boolean(self, key, default=_MISSING):
        value = self.raw(key, default)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise SchemeError(self.where(key), "应为 true/false (expected a boolean)")
        return value

    def array(self, key, default=_MISSING):
        value = self.raw(key, default)
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise SchemeError(self.where(key), "应为列表 (expected a list)")
        return value

    def obj(self, key, default=_MISSING):
        value = self.raw(key, default)
        if value is None:
            return None
        return Reader(value, self.where(key))

    def strings(self, key, default=_MISSING):
        values = self.array(key, default)
        if values is None:
            return None
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value:
                raise SchemeError(join(self.where(key), index), "应为非空文本 (expected a string)")
        return tuple(values)

    def done(self):
        for key in self.data:
            if key not in self.seen:
                raise SchemeError(join(self.path, key), "未知字段 (unknown field)")

