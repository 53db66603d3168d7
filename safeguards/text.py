"""Text from users: control characters refused at input, names and ID numbers normalised.

Every form ``CharField`` (the project's forms, viewflow's and the admin's) carries
:data:`no_control_characters`: :func:`install_form_validator` adds it to
``django.forms.CharField.default_validators`` once, at start-up, so a new form cannot forget it.
Tab, line feed and carriage return stay allowed (text areas hold them).
"""
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: C0 control characters except tab, LF and CR, and DEL: never typed, and fatal to .xlsx files.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Zero-width and invisible format characters pasted from web pages and WeChat.
ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e]")
#: Every kind of space (after NFKC the ideographic space U+3000 is a plain space).
SPACES = re.compile(r"\s+")

CONTROL_CODE = "control_characters"


@deconstructible
class ControlCharacterValidator:
    message = _("不能含有控制字符（不可见的特殊字符），请删除后重新输入。")
    code = CONTROL_CODE

    def __call__(self, value):
        if value is not None and CONTROL_CHARACTERS.search(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator)


no_control_characters = ControlCharacterValidator()


def install_form_validator():
    """Give every ``forms.CharField`` (and subclasses keeping its validators) :data:`no_control_characters`."""
    if no_control_characters not in forms.CharField.default_validators:
        forms.CharField.default_validators = [*forms.CharField.default_validators, no_control_characters]


def normalise_name(value):
    """A person's name as stored and matched: NFKC, no zero-width characters, no spaces inside.

    "姜　杰" (ideographic space), "姜 杰" and "姜\u200b杰" are all 姜杰. Names written in Latin
    letters keep single spaces between words ("Ali Han").
    """
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", str(value or ""))).strip()
    words = SPACES.split(text) if text else []
    if all(w.isascii() for w in words):
        return " ".join(words)
    return "".join(words)


def normalise_code(value):
    """An ID number or code: NFKC (full-width digits become ASCII), no spaces or zero-width characters, upper case."""
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", str(value or "")))
    return SPACES.sub("", text).upper()
