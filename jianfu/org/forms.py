"""Forms for the organisation pages; they validate and hand clean data to services."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jianfu.core.errors import ApplicationError
from jianfu.core.validation import clean_code, clean_login_name, clean_text

from .models import Person, Role, Unit, UnitType
from .widgets import UnitPickerField

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s\u3000]", "", value or "")
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(_("Enter an 11-digit mobile number or a landline such as 0735-2222222."))
    return value


def _rule(rule, value, **kwargs):
    """A service's text rule on a form field, so the page shows the message beside the field."""
    try:
        return rule(value, **kwargs)
    except ApplicationError as exc:
        raise forms.ValidationError(str(exc.message)) from exc


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All types"))] + list(UnitType.choices))
    active = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))])


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=120)
    type = forms.ChoiceField(label=_("Type"), choices=UnitType.choices)
    parent = UnitPickerField(label=_("Parent unit"), required=False, scope="writable",
                             empty_label=_("None: a unit at the top of the tree"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, parent_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent_queryset is not None:
            self.fields["parent"].queryset = parent_queryset

    def clean_code(self):
        return _rule(clean_code, self.cleaned_data.get("code"))

    def clean_name(self):
        return _rule(clean_text, self.cleaned_data.get("name"), field="name",
                     label=Unit._meta.get_field("name").verbose_name, required=True, max_length=120)


class UnitEditForm(UnitForm):
    """Changing a unit: renaming or moving it needs a reason, which the audit log keeps."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when you change the code, name, type or parent unit."))

    def clean_reason(self):
        return _rule(clean_text, self.cleaned_data.get("reason"), field="reason", label=_("Reason"), multiline=True,
                     max_length=500)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles"))] + list(Role.choices))
    active = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))])


class PersonForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=64)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    title = forms.CharField(label=_("Post"), max_length=80, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_username(self):
        if self.fields["username"].disabled:  # an existing person's login name is not changed here
            return self.cleaned_data.get("username")
        return _rule(clean_login_name, self.cleaned_data.get("username"))

    def clean_name(self):
        return _rule(clean_text, self.cleaned_data.get("name"), field="name",
                     label=Person._meta.get_field("name").verbose_name, required=True, max_length=60)

    def clean_title(self):
        return _rule(clean_text, self.cleaned_data.get("title"), field="title",
                     label=Person._meta.get_field("title").verbose_name, max_length=80)

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))


class MembershipForm(forms.Form):
    unit = UnitPickerField(label=_("Unit"), scope="writable")
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, unit_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit_queryset is not None:
            self.fields["unit"].queryset = unit_queryset


class LiaisonForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Liaison"), queryset=Person.objects.none(), required=False,
                                    empty_label=_("(none)"))

    def __init__(self, *args, person_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person_queryset is not None:
            self.fields["person"].queryset = person_queryset


class AccountForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("Optional: where the daily digest of your inbox is sent."))
    digest = forms.BooleanField(label=_("Send me a daily digest of my inbox by e-mail"), required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [("", _("As my browser says"))] + list(settings.LANGUAGES)
