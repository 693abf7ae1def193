"""The upload form; size and type are checked again by the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ImportJob


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file contains"), choices=ImportJob.Kind.choices,
                             widget=forms.RadioSelect, initial=ImportJob.Kind.UNITS)
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
