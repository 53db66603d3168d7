"""The ``[english]`` section: an English label for every word a scheme shows people.

The words are the scheme's own: component and item labels, grade labels, the vote grades of
its democratic appraisal and its member category codes (:func:`scheme_words`). The section
maps each word to its English label::

    [english]
    "日常行为积分" = "Daily conduct points"
    "优秀" = "Excellent"
    backbone = "Backbone members"

A word it does not cover is shown as written (a scenario may replace a preset's components
and keep its ``[english]``); :func:`missing_words` and :func:`unknown_words` say what it lacks
or names in vain, and every preset covers all its words and names no other
(``tests/scoring_engine/test_english.py``). :meth:`Scheme.english_label` reads it.
"""
from .errors import SchemeError, join


def scheme_words(components, grades, votes, categories):
    """The words of a scheme people read, in the scheme's order, each once."""
    words = []
    for component in components:
        words.append(component.label)
        words.extend(item.label for item in component.items.values())
    if grades is not None:
        words.extend(band.value for band in grades.bands)
        words.extend(grades.order)
        words.extend(o.grade for o in grades.overrides)
        words.extend(a.to for a in grades.adjustments if a.to)
    words.extend(votes)
    words.extend(sorted(categories or ()))
    return tuple(dict.fromkeys(w for w in words if w))


def parse_english(obj, words):
    """``{word: English label}`` from the ``[english]`` reader ``obj`` (None: the section is absent)."""
    if obj is None:
        return {}
    english = {}
    for word, label in obj.data.items():
        if not isinstance(label, str) or not label.strip():
            raise SchemeError(join(obj.path, word), "应为非空英文文本 (expected an English label)")
        english[word] = label.strip()
        obj.seen.add(word)
    return english


def missing_words(scheme):
    """The scheme's words its ``[english]`` section gives no label."""
    return [w for w in scheme.words if w not in (scheme.english or {})]


def unknown_words(scheme):
    """Keys of the ``[english]`` section that are none of the scheme's words (typos)."""
    return [w for w in (scheme.english or {}) if w not in scheme.words]
