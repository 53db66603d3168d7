from django import template

from ..words import word

register = template.Library()


@register.filter
def scheme_word(text, scheme):
    """``{{ result.grade|scheme_word:evaluation.scheme_version }}``: the word in the active language."""
    return word(text, scheme)
