"""The exceptions the engine raises for bad input, each naming a field and carrying a code.

Every problem with a scheme or a scenario is reported as a ``SchemeError`` carrying
the *path* of the offending field (``grades.bands[2]``, ``events[17].component``)
and a message that says what is wrong with it. Callers (the ``simulate`` command,
the admin, the web forms) show ``str(error)``; the path lets a form highlight the
field. Messages are Chinese first, with an English gloss, because the people who fix
a scheme are scheme designers, not programmers.

A declaration checked against a scheme (:meth:`scoring_engine.Scheme.item_rule`) that the
scheme does not allow raises a :class:`DeclarationError`: its ``path`` is the declaration's
field, its ``code`` one of :data:`DECLARATION_CODES`, and ``params`` the values its message
names, so that a Django caller can build ``ValidationError({field: ValidationError(msg,
code=code, params=params)})`` with its own translated message.
"""

#: Codes of :class:`DeclarationError`, with the field each concerns.
DECLARATION_CODES = {
    "unknown_component": "component",        # not in the scheme, or takes no events (民主评议)
    "unknown_item": "rule_item",             # the component lists items and this is not one of them
    "invalid_quantity": "quantity",          # not a whole number of at least 1
    "item_count_exceeded": "quantity",       # more units than the item's max_count
    "item_period_count_exceeded": "quantity",  # with those already declared, more than max_count in its period
    "points_fixed_by_item": "points",        # the item fixes the points; another value was given
    "points_required": "points",             # neither the item nor the declaration gives points
    "points_out_of_range": "points",         # outside the item's min–max (× quantity)
    "points_must_be_positive": "points",     # the component records every event as a positive number
    "points_must_be_negative": "points",     # the component records every event as a negative number
}


class SchemeError(ValueError):
    """A scheme, its parameters or a scenario's data is invalid.

    ``path`` is a dotted/indexed field path (may be empty for whole-document problems),
    ``message`` the human explanation, ``code`` a stable identifier (``"invalid"`` unless a
    subclass says more) and ``params`` the values the message names.
    """

    def __init__(self, path, message, code="invalid", params=None):
        self.path = path
        self.message = message
        self.code = code
        self.params = dict(params or {})
        super().__init__(f"{path}: {message}" if path else message)


class DeclarationError(SchemeError):
    """A declared component, item, quantity or points value that the scheme does not allow.

    ``path`` is the declaration's field (``component``, ``rule_item``, ``quantity``,
    ``points``) and ``code`` one of :data:`DECLARATION_CODES`.
    """

    def __init__(self, code, message, **params):
        if code not in DECLARATION_CODES:
            raise ValueError(f"unknown declaration error code {code!r}")
        super().__init__(DECLARATION_CODES[code], message, code=code, params=params)


def join(path, key):
    """Extend a field path: ``join("events", 3)`` -> ``events[3]``; ``join("a", "b")`` -> ``a.b``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)
