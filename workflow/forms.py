"""Form helpers shared by the task screens: placing a service's error on the form."""
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import pgettext_lazy


def error_messages(exc):
    """The human messages of a ValidationError or PermissionDenied, as a list of strings."""
    if isinstance(exc, PermissionDenied):
        return [str(exc) or "无权执行此操作。"]
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(getattr(exc, "messages", [str(exc)]))


def apply_error(form, exc, field_map=None):
    """Attach a service-layer error to ``form`` by the fields the error names.

    A ``ValidationError({"points": ValidationError(msg, code=...)})`` lands on the form's
    ``points`` field (or on ``field_map["points"]`` when the screen names that input
    differently), keeping its code (``form.errors.as_data()``). ``NON_FIELD_ERRORS``, a field
    the form does not have, a ValidationError without fields and ``PermissionDenied`` land at
    the top of the form. The message text is never read.
    """
    field_map = field_map or {}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field_map.get(field, field)
            if target not in form.fields:
                target = None
            for error in errors:
                form.add_error(target, error)
        return
    if isinstance(exc, ValidationError):
        form.add_error(None, exc)
        return
    for message in error_messages(exc):
        form.add_error(None, message)


#: The empty choice of a select, in words (Django's own is "---------").
EMPTY_LABEL = pgettext_lazy("empty choice", "请选择")


def worded_empty_choices(form):
    """Give each drop-down of ``form`` the worded empty choice :data:`EMPTY_LABEL`.

    A model choice field's ``empty_label`` (unless it has none); a choice field's blank option.
    Radio buttons and check boxes have no empty choice to word."""
    for field in form.fields.values():
        if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = EMPTY_LABEL
        elif isinstance(field, forms.ChoiceField):
            field.choices = [(value, EMPTY_LABEL if value == "" else label) for value, label in field.choices]


class WordedChoices:
    """Form mixin: its drop-downs offer :data:`EMPTY_LABEL` as the empty choice (``worded_empty_choices``);
    choices set later in a subclass's ``__init__`` should start with ``("", EMPTY_LABEL)``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        worded_empty_choices(self)
