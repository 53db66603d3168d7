"""Form helpers shared by the portal screens."""
from django.core.exceptions import PermissionDenied, ValidationError


def error_messages(exc):
    """The human messages of a ValidationError or PermissionDenied, as a list of strings."""
    if isinstance(exc, PermissionDenied):
        return [str(exc) or "无权执行此操作。"]
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(getattr(exc, "messages", [str(exc)]))


def apply_error(form, exc, hints=None):
    """Attach a service-layer error to the form: to its field when the field exists, else to the form.

    ``hints`` maps a word in a message to the field it concerns (``{"分值": "points"}``), so a
    service message that names no field still appears beside the right input.
    """
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
        return
    for message in error_messages(exc):
        target = None
        for word, field in (hints or {}).items():
            if word in message and field in form.fields:
                target = field
                break
        form.add_error(target, message)
