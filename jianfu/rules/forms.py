from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.org.models import UnitType
from jianfu.org.widgets import UnitPickerField

from .models import Severity


class RuleChangeForm(forms.Form):
    value = forms.CharField(label=_("Value"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    source_clause = forms.CharField(label=_("Clause of the source"), widget=forms.Textarea(attrs={"rows": 2}))
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_to = forms.DateField(label=_("Effective until"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    scope_unit = UnitPickerField(label=_("Scope"), required=False, scope="visible",
                                 types=(UnitType.CITY, UnitType.COUNTY), empty_label=_("The whole city"),
                                 help_text=_("A county for a stricter rule that applies only there."))
    note = forms.CharField(label=_("Reason for the change"), max_length=300)

    def __init__(self, *args, value_kind: str = "int", scope_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.value_kind = value_kind
        value = self.fields["value"]
        if value_kind == "bool":
            self.fields["value"] = forms.ChoiceField(label=_("Check"), choices=[("yes", _("On: this is checked")),
                                                                                ("no", _("Off: this is not checked."))])
        elif value_kind == "int":
            value.widget = forms.NumberInput(attrs={"min": 0})
            value.help_text = _("A whole number.")
        elif value_kind == "float":
            value.widget = forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.05"})
            value.help_text = _("A share from 0 to 1: 0.5 means half of the wording.")
        else:
            value.help_text = _("One category per line: code | 中文 | English (the English may be left out).")
        if scope_queryset is not None:
            self.fields["scope_unit"].queryset = scope_queryset

    def clean_value(self):
        raw = self.cleaned_data["value"].strip()
        if self.value_kind != "categories":
            return raw
        items = []
        for line in raw.splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(_("Each line needs “code | 中文”, optionally “| English”."))
            items.append({"code": parts[0], "zh": parts[1], "en": parts[2] if len(parts) > 2 else parts[1]})
        return items


def value_as_text(value, kind: str) -> str:
    if kind == "categories":
        return "\n".join(f"{c['code']} | {c['zh']} | {c.get('en', '')}" for c in value)
    if kind == "bool":
        return "yes" if value else "no"
    return json.dumps(value) if not isinstance(value, str) else value


class TraceBasisForm(forms.Form):
    name = forms.CharField(label=_("Matter"), max_length=100, help_text=_("e.g. 安全生产"))
    higher_rule = forms.CharField(label=_("Higher rule cited"), max_length=300,
                                  help_text=_("e.g. 《中华人民共和国安全生产法》"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_to = forms.DateField(label=_("Effective until"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    active = forms.BooleanField(label=_("On the allow-list"), required=False, initial=True)
