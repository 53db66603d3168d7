"""Issue 13, item 10: control characters are refused at input in every form."""
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms

from safeguards.text import CONTROL_CODE, no_control_characters, normalise_code, normalise_name

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ["workdays", "documents", "workflow", "notifications", "organisations", "members", "schemes", "ledger",
        "reviews", "market", "appraisals", "simulation", "portal"]


def _project_forms():
    found = set()
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or ".management" in info.name or ".tests" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.BaseForm) and obj.__module__.startswith(f"{app}."):
                    found.add(obj)
    return found


def test_every_text_field_of_every_form_refuses_control_characters():
    checked = 0
    for form_class in _project_forms():
        for name, field in form_class.base_fields.items():
            if type(field).default_validators is forms.CharField.default_validators or isinstance(
                    field, forms.CharField) and not isinstance(field, (forms.EmailField, forms.URLField,
                                                                      forms.SlugField, forms.GenericIPAddressField)):
                assert no_control_characters in field.validators, f"{form_class.__name__}.{name}"
                checked += 1
    assert checked > 20


@pytest.mark.django_db
def test_the_member_form_and_the_declaration_form_name_the_field(county):
    from members.forms import MemberForm
    from reviews.views.declarations import DeclarationForm

    form = MemberForm(data={"name": "王\x0b芳", "kind": "party_member", "phone": ""}, instance=county.members[0])
    assert not form.is_valid()
    assert CONTROL_CODE in [e.code for e in form.errors.as_data()["name"]]
    form = DeclarationForm(data={"component": "发挥作用", "rule_item": "x", "occurred_on": "2026-03-02",
                                 "quantity": 1, "description": "第一行\r\n第二行\x1b[31m"})
    assert not form.is_valid()
    assert CONTROL_CODE in [e.code for e in form.errors.as_data()["description"]]
    assert "component" not in form.errors and "rule_item" not in form.errors


def test_tabs_and_line_breaks_stay_allowed():
    assert forms.CharField().clean("第一行\r\n\t第二行") == "第一行\r\n\t第二行"
    with pytest.raises(forms.ValidationError):
        forms.CharField().clean("a\x7fb")


def test_names_and_id_numbers_are_normalised():
    assert normalise_name("姜　杰") == "姜杰" == normalise_name(" 姜\u200b杰 ") == normalise_name("姜 杰")
    assert normalise_name("Ali  Han") == "Ali Han"
    assert normalise_code("４３０５２１\u200b１９８０ ０５０６１２３x") == "43052119800506123X"
