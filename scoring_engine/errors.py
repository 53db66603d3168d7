"""The one exception the engine raises for bad input.

Every problem with a scheme or a scenario is reported as a ``SchemeError`` carrying
the *path* of the offending field (``grades.bands[2]``, ``events[17].component``)
and a message that says what is wrong with it. Callers (the ``simulate`` command,
the admin, the web forms) show ``str(error)``; the path lets a form highlight the
field. Messages are Chinese first, with an English gloss, because the people who fix
a scheme are scheme designers, not programmers.
"""


class SchemeError(ValueError):
    """A scheme, its parameters or a scenario's data is invalid.

    ``path`` is a dotted/indexed field path (may be empty for whole-document problems),
    ``message`` the human explanation.
    """

    def __init__(self, path, message):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


def join(path, key):
    """Extend a field path: ``join("events", 3)`` -> ``events[3]``; ``join("a", "b")`` -> ``a.b``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)
