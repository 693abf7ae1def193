from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.org.models import UnitType
from jianfu.org.widgets import UnitPickerField

from .models import Activity, Complexity

MAX_LINES = 8


class ActivityTableForm(forms.Form):
    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Why it changes"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for activity in Activity:
            for complexity in Complexity:
                self.fields[f"{activity.value}__{complexity.value}"] = forms.IntegerField(
                    label=f"{activity.label} · {complexity.label}", min_value=0, max_value=100_000)

    def minutes(self) -> dict:
        return {a: {c: self.cleaned_data[f"{a}__{c}"] for c in Complexity.values} for a in Activity.values}


class BudgetForm(forms.Form):
    unit = UnitPickerField(label=_("Issuing unit"), scope="visible",
                           types=(UnitType.DEPARTMENT, UnitType.COUNTY, UnitType.CITY))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    hours = forms.IntegerField(label=_("Budget (hours)"), min_value=0, max_value=100_000_000)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class ReEstimateForm(forms.Form):
    """The activities of an estimate, one row each, with one empty row to add another."""

    occurrences = forms.IntegerField(label=_("Times a year"), min_value=1, max_value=366 * 24)
    note = forms.CharField(label=_("Why the estimate changes"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        rows = list(lines)[: MAX_LINES - 1] + [{}]
        self.row_names = []
        for n, line in enumerate(rows):
            self.fields[f"activity_{n}"] = forms.ChoiceField(
                label=_("Activity"), required=False, choices=[("", "—")] + list(Activity.choices),
                initial=line.get("activity", ""))
            self.fields[f"complexity_{n}"] = forms.ChoiceField(
                label=_("How demanding"), required=False, choices=Complexity.choices,
                initial=line.get("complexity", Complexity.SIMPLE))
            self.fields[f"count_{n}"] = forms.IntegerField(label=_("How many times"), required=False, min_value=1,
                                                           max_value=1000, initial=line.get("count", 1))
            self.row_names.append(n)

    def rows(self):
        return [(self[f"activity_{n}"], self[f"complexity_{n}"], self[f"count_{n}"]) for n in self.row_names]

    def lines(self) -> list[dict]:
        out = []
        for n in self.row_names:
            activity = self.cleaned_data.get(f"activity_{n}")
            if activity:
                out.append({"activity": activity, "complexity": self.cleaned_data.get(f"complexity_{n}"),
                            "count": self.cleaned_data.get(f"count_{n}") or 1})
        return out
