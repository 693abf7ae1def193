"""Forms for registering report forms, keeping the field dictionary and setting baselines."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jianfu.demands.forms import FilingBase
from jianfu.demands.models import Status
from jianfu.org.models import Unit, UnitType
from jianfu.org.widgets import UnitPickerField

from .models import FieldDefinition, Frequency, MaterialType
from .services import NewField

OPTIONAL_WORDS = {"选填", "選填", "否", "optional", "no"}
_SPLIT = re.compile(r"\s*[|｜\t]\s*")


class FieldChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit_of_measure}）" if obj.unit_of_measure else obj.name


def parse_field_lines(text: str) -> list[NewField]:
    """Lines of `name | definition | unit of measure | 选填`; the last three parts may be left out."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = _SPLIT.split(line.strip()) + ["", "", ""]
        out.append(NewField(name=parts[0], definition=parts[1], unit_of_measure=parts[2],
                            required=parts[3].strip().lower() not in OPTIONAL_WORDS))
    return out


def field_lines(fields: list[NewField]) -> str:
    """The inverse of parse_field_lines, to fill the form from an imported workbook."""
    lines = []
    for f in fields:
        parts = [f.name, f.definition, f.unit_of_measure, "" if f.required else "选填"]
        while parts and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


class ReportFormForm(FilingBase):
    material_type = forms.ChoiceField(label=_("Type of material"), choices=MaterialType.choices)
    frequency = forms.ChoiceField(label=_("How often it is filled"),
                                  choices=[("", _("— choose —"))] + list(Frequency.choices))
    responses_per_year = forms.IntegerField(label=_("Responses a year"), required=False, min_value=1,
                                            max_value=100_000,
                                            help_text=_("Only for forms filled each time an event occurs."))
    minutes_per_response = forms.IntegerField(label=_("Minutes per response"), min_value=1, max_value=100_000,
                                              help_text=_("How long one respondent unit takes to fill it once, "
                                                          "gathering the data included."))
    dictionary_fields = FieldChoice(label=_("Fields from the dictionary"), required=False,
                                    queryset=FieldDefinition.objects.none(),
                                    widget=forms.SelectMultiple(attrs={"size": 12}))
    new_fields = forms.CharField(
        label=_("Other fields, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("name | definition | unit of measure | 选填 (the last three may be left out). A name the "
                    "dictionary already has is taken from it; the others are proposed to the task force."))
    body = forms.CharField(label=_("Instructions to respondents"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurs_on"].label = _("Applies from")
        self.fields["targets"].label = _("Respondent units")
        self.fields["dictionary_fields"].queryset = FieldDefinition.objects.filter(active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("frequency") == Frequency.PER_EVENT and not data.get("responses_per_year"):
            self.add_error("responses_per_year", _("Say how many times a year the event occurs."))
        data["typed_fields"] = parse_field_lines(data.get("new_fields") or "")
        if not data.get("dictionary_fields") and not data["typed_fields"] and not self.errors.get("new_fields"):
            self.add_error("dictionary_fields", _("Choose fields from the dictionary or type them below."))
        return data

    def service_kwargs(self, existing: dict[int, bool] | None = None) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "body": d.get("body") or "", "frequency": d["frequency"],
                "minutes_per_response": d["minutes_per_response"], "material_type": d["material_type"],
                "responses_per_year": d.get("responses_per_year"),
                "field_ids": [(f.pk, True) for f in d.get("dictionary_fields") or []],
                "new_fields": d["typed_fields"], "targets": self.target_pairs(existing), "occurs_on": d["occurs_on"]}


class ReportFormFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses"))] + list(Status.choices))
    material_type = forms.ChoiceField(label=_("Type of material"), required=False,
                                      choices=[("", _("All types"))] + list(MaterialType.choices))
    frequency = forms.ChoiceField(label=_("How often"), required=False,
                                  choices=[("", _("Any frequency"))] + list(Frequency.choices))
    year = forms.IntegerField(label=_("Counts in year"), required=False, min_value=2000, max_value=2100)


class FieldFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    active = forms.ChoiceField(label=_("In use"), required=False,
                               choices=[("", _("All")), ("1", _("In use")), ("0", _("Not in use"))])
    proposed = forms.ChoiceField(label=_("Proposed"), required=False,
                                 choices=[("", _("All")), ("1", _("Proposed, not yet accepted")),
                                          ("0", _("Accepted"))])
    holder = UnitPickerField(label=_("Held by"), required=False, scope="visible")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = Unit.objects.filter(fields_held__isnull=False).distinct().order_by("code")


class FieldDefinitionForm(forms.Form):
    name = forms.CharField(label=_("Field name"), max_length=120)
    definition = forms.CharField(label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("What exactly is counted (统计口径), so two forms mean the same thing."))
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=40, required=False,
                                      help_text=_("e.g. 人, 户, 次, 万元"))
    holder = UnitPickerField(label=_("Held by"), required=False, scope="visible", exclude_types=(UnitType.VILLAGE,),
                             help_text=_("The unit that already holds this data, so others can ask it "
                                         "instead of the grassroots."))
    aliases = forms.CharField(label=_("Other names"), max_length=300, required=False,
                              help_text=_("Other names the same data goes by, separated by 、 or commas."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    proposed = forms.BooleanField(label=_("Proposed, not yet accepted"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = Unit.objects.filter(active=True).exclude(
            type__in=[UnitType.VILLAGE]).order_by("path")


class BaselineForm(forms.Form):
    unit = UnitPickerField(label=_("Department"), scope="visible", types=(UnitType.DEPARTMENT,))
    year = forms.IntegerField(label=_("Base year"), min_value=2000, max_value=2100)
    report_sets = forms.IntegerField(label=_("Report sets"), min_value=0, max_value=100_000, initial=0)
    briefings = forms.IntegerField(label=_("Briefings"), min_value=0, max_value=100_000, initial=0)
    ledgers = forms.IntegerField(label=_("Ledgers"), min_value=0, max_value=100_000, initial=0)
    others = forms.IntegerField(label=_("Other materials"), min_value=0, max_value=100_000, initial=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit_queryset is not None:
            self.fields["unit"].queryset = unit_queryset


class FormImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.JIANFU_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": settings.JIANFU_MAX_UPLOAD_MB})
        return upload
