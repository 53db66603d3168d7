from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event


class PreferenceForm(forms.Form):
    """Which events come by e-mail and by the group robot (the in-app list always has them all)."""

    email_events = forms.MultipleChoiceField(
        label=_("电子邮件"), choices=Event.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    robot_events = forms.MultipleChoiceField(
        label=_("工作群机器人"), choices=Event.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
