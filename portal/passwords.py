"""Password validation in the reader's language.

Django 5.2 words the minimum-length error with ``%d`` while its zh_Hans catalogue still has the
``%(min_length)d`` msgid of earlier releases, so the error showed in English on Chinese pages.
:class:`MinimumLengthValidator` says the same with the msgid the catalogues translate.
"""
from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
