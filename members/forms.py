from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Member


class RosterUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("导入到组织"), empty_label=None)
    file = forms.FileField(label=_("名册文件（.xlsx、.xls、.ods 或 .csv）"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MemberForm(forms.ModelForm):
    """Edit the plain fields; the branch changes by transfer, the ID number in the admin or by import."""

    class Meta:
        model = Member
        fields = ["name", "gender", "birth_date", "joined_on", "kind", "category", "phone", "household_size"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
