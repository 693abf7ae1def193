from __future__ import annotations

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from jianfu.demands.forms import FilingBase, below_initial, target_pairs, targets_field
from jianfu.org.models import Person, UnitType
from jianfu.org.widgets import UnitPickerField, bind_actor

from .models import Method


class MonthsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[(str(m), label) for m, label in MONTHS.items()], coerce=int, required=False,
                         widget=forms.CheckboxSelectMultiple(attrs={"class": "months"}), **kwargs)


class InspectionFilingForm(FilingBase):
    """An inspection filed through the gate: outside the annual plan, so it needs a one-off approval."""

    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    times_per_year = forms.IntegerField(label=_("Times a year"), min_value=1, max_value=366, initial=1)
    on_site = forms.BooleanField(label=_("Inspectors come on site"), required=False, initial=True)
    months = MonthsField(label=_("Months"))
    prepares = forms.CharField(label=_("What the grassroots must prepare"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    why_outside_plan = forms.CharField(label=_("Why outside the plan"), widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=_("Why it cannot wait for next year's plan (一事一报)."))
    details = forms.CharField(label=_("Details of the demand"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def inspection_data(self) -> tuple[str, dict]:
        d = self.cleaned_data
        return d.get("details") or "", {
            "method": d["method"], "times_per_year": d["times_per_year"], "on_site": d.get("on_site", False),
            "months": list(d.get("months") or []), "prepares": d.get("prepares") or "",
            "why_outside_plan": d.get("why_outside_plan") or ""}


def filing_form_data(form: InspectionFilingForm) -> tuple[str, dict]:
    return form.inspection_data()


def filing_initial(revision) -> dict:
    data = revision.data
    return {"method": data.get("method"), "times_per_year": data.get("times_per_year"),
            "on_site": data.get("on_site"), "months": [str(m) for m in data.get("months", [])],
            "prepares": data.get("prepares"), "why_outside_plan": data.get("why_outside_plan"),
            "details": revision.body}


class PlanForm(forms.Form):
    unit = UnitPickerField(label=_("Unit"), scope="visible", types=(UnitType.CITY, UnitType.COUNTY))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, units=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        bind_actor(self, actor)


class PlanItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    proposing_unit = UnitPickerField(label=_("Proposed by unit"), scope="writable",
                                     types=(UnitType.DEPARTMENT, UnitType.CITY, UnitType.COUNTY))
    description = forms.CharField(label=_("What is inspected"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    times_per_year = forms.IntegerField(label=_("Times a year"), min_value=1, max_value=366, initial=1)
    on_site = forms.BooleanField(label=_("Inspectors come on site"), required=False, initial=True)
    months = MonthsField(label=_("Months"))
    prepares = forms.CharField(label=_("What the grassroots must prepare"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    # The plan's own subtree is what the view allows; the picker searches what the person may aim at.
    targets = targets_field(_("Units inspected"), required=True,
                            exclude_types=(UnitType.DEPARTMENT, UnitType.TASK_FORCE))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, proposer_queryset=None, target_queryset=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposer_queryset is not None:
            self.fields["proposing_unit"].queryset = proposer_queryset
        if target_queryset is not None:
            self.fields["targets"].queryset = target_queryset
        below_initial(self)
        bind_actor(self, actor)

    def target_pairs(self, existing: dict[int, bool] | None = None):
        return target_pairs(self, existing)


class DropForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    absorb = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title of the merged item"), max_length=300)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def absorb_ids(self) -> list[int]:
        try:
            return [int(x) for x in (self.cleaned_data.get("absorb") or "").split(",") if x.strip()]
        except ValueError:
            return []


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class OneOffForm(forms.Form):
    approver = PersonChoiceField(label=_("Approved by"), queryset=Person.objects.none(),
                                 help_text=_("The leader who approved the inspection outside the plan."))
    approved_on = forms.DateField(label=_("Approved on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if approvers is not None:
            self.fields["approver"].queryset = approvers
