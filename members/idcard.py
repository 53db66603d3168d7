"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

Validated at the edge (imports, forms); everywhere else the number is shown masked.
"""
import datetime

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17):
    """The 18th character for the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def validate_id_number(value):
    """Return the normalised number (upper-case X) or raise ValueError with a Chinese reason."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise ValueError(f"身份证号应为18位，实际为{len(number)}位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValueError("身份证号只能由数字和末位X组成")
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError(f"身份证号中的出生日期{number[6:14]}无效") from None
    if check_digit(number[:17]) != number[17]:
        raise ValueError("身份证号校验位错误")
    return number


def birth_date(number):
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def mask(number):
    """``110101********123X``: region and last four only."""
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
