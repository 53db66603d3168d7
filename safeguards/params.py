"""Integer query parameters (``?page=``, ``?org=``, ``?village=``…): one parser, never a 500.

Anything that is not a plain decimal number in range (``abc``, ``1 OR 1=1``, ``-3``,
``99999999999999999999`` which no database integer holds) is treated as absent.
"""

#: The largest value of a database ``integer`` / ``bigint`` primary key we accept from a URL.
MAX_ID = 2**63 - 1


def parse_int(raw, default=None, minimum=0, maximum=MAX_ID):
    """``raw`` (a string or ``None``) as an int within [minimum, maximum], else ``default``."""
    if raw is None:
        return default
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return default
    value = int(text)
    return value if minimum <= value <= maximum else default


def int_param(query, name, default=None, minimum=0, maximum=MAX_ID):
    """``query[name]`` (a QueryDict such as ``request.GET``) parsed by :func:`parse_int`."""
    return parse_int(query.get(name), default, minimum, maximum)


def page_number(query, name="page", maximum=10**6):
    """The page asked for, ≥ 1; a bad or absurd value is page 1."""
    return int_param(query, name, default=1, minimum=1, maximum=maximum)
