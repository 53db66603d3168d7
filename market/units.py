"""A quantity with its unit of goods (件, 瓶, 袋...) in the reader's language.

The unit is the catalogue's data, typed in Chinese (``Goods.unit``). Chinese writes ``2瓶``; English
writes ``2 bottles`` for the units listed here, and the bare number for any other unit written in
Chinese characters (a CJK measure word has no place in English text).
"""
import re

from django.utils.translation import get_language, npgettext

#: The common units of a points supermarket, each with its words in the catalogues ("goods unit").
_UNITS = {
    "件": lambda n: npgettext("goods unit", "%(n)s件", "%(n)s件", n),
    "个": lambda n: npgettext("goods unit", "%(n)s个", "%(n)s个", n),
    "瓶": lambda n: npgettext("goods unit", "%(n)s瓶", "%(n)s瓶", n),
    "支": lambda n: npgettext("goods unit", "%(n)s支", "%(n)s支", n),
    "条": lambda n: npgettext("goods unit", "%(n)s条", "%(n)s条", n),
    "袋": lambda n: npgettext("goods unit", "%(n)s袋", "%(n)s袋", n),
    "包": lambda n: npgettext("goods unit", "%(n)s包", "%(n)s包", n),
    "盒": lambda n: npgettext("goods unit", "%(n)s盒", "%(n)s盒", n),
    "箱": lambda n: npgettext("goods unit", "%(n)s箱", "%(n)s箱", n),
    "桶": lambda n: npgettext("goods unit", "%(n)s桶", "%(n)s桶", n),
    "台": lambda n: npgettext("goods unit", "%(n)s台", "%(n)s台", n),
    "次": lambda n: npgettext("goods unit", "%(n)s次", "%(n)s次", n),
    "双": lambda n: npgettext("goods unit", "%(n)s双", "%(n)s双", n),
    "块": lambda n: npgettext("goods unit", "%(n)s块", "%(n)s块", n),
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def quantity_text(quantity, unit):
    """``2瓶`` in Chinese, ``2 bottles`` in English (``quantity``: an int, ``unit``: ``Goods.unit``).

    A unit not listed reads ``2斤`` in Chinese and ``2`` in English (``2 kg`` when typed in Latin letters).
    """
    unit = (unit or "").strip()
    known = _UNITS.get(unit)
    if known is not None:
        return known(quantity) % {"n": quantity}
    if not unit or (_CJK.search(unit) and not (get_language() or "").startswith("zh")):
        return str(quantity)
    return f"{quantity}{unit}" if _CJK.search(unit) else f"{quantity} {unit}"
