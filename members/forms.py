from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workdays.clock import local_today
from workflow.forms import WordedChoices

from . import checks
from .models import DatePrecision, Member


class RosterUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("导入到组织"), empty_label=None)
    file = forms.FileField(label=_("名册文件（.xlsx、.xls、.ods 或 .csv）"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MemberForm(WordedChoices, forms.ModelForm):
    """Edit the plain fields; the branch changes by transfer, the ID number in the admin or by import."""

    class Meta:
        model = Member
        fields = ["name", "gender", "birth_date", "joined_on", "kind", "category", "phone", "household_size"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    # The roster import's checks (members.checks), so both ways in refuse the same values (issue 13).
    def clean_name(self):
        return checks.check_name(self.cleaned_data.get("name"))

    def _clean_day(self, key):
        day = self.cleaned_data.get(key)
        if day is not None:
            checks.check_day(day, local_today(), key)
        return day

    def clean_birth_date(self):
        return self._clean_day("birth_date")

    def clean_joined_on(self):
        return self._clean_day("joined_on")

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        return checks.check_phone(phone) if phone else phone

    def clean(self):
        data = super().clean()
        born, joined = data.get("birth_date"), data.get("joined_on")
        if born and joined:
            try:
                checks.check_adult_when_joined(born, joined)
            except ValidationError as exc:
                self.add_error("joined_on", exc)
        # A date typed on this form is a whole date; a year-month one from the roster stays so if unchanged.
        for key in ("birth_date", "joined_on"):
            if key in self.changed_data:
                setattr(self.instance, f"{key}_precision", DatePrecision.DAY)
        return data
