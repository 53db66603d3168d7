"""A scheme's words in the active language: the label as written, or its ``[english]`` label in English.

``word(text, scheme)`` takes an engine ``Scheme``, a ``SchemeVersion`` or None (the text as
written); templates use the ``scheme_word`` filter (``{% load scheme_words %}``).
"""
import scoring_engine
from django.utils.translation import get_language


def english_active():
    return (get_language() or "").startswith("en")


def _engine(scheme):
    if scheme is None or isinstance(scheme, scoring_engine.Scheme):
        return scheme
    try:
        return scheme.engine_scheme()
    except scoring_engine.SchemeError:
        return None


def word(text, scheme):
    """``text`` (a component, item or grade label, a vote grade, a category code) in the active language."""
    if not text or not english_active():
        return text
    engine = _engine(scheme)
    return engine.english_label(text) if engine is not None else text
