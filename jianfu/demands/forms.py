"""Forms for filing, reviewing and verifying; they validate input and hand clean data to services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.org.models import Unit, UnitType
from jianfu.org.widgets import (
    PickedUnits,
    UnitPickerField,
    UnitsPickerField,
    bind_actor,
    chosen_pairs,
    initial_with_below,
)
from jianfu.rules.models import TraceBasis
from jianfu.textkit.docreader import UnreadableDraft, read_draft

from .models import (
    AnnualList,
    DocumentKind,
    IssuedInName,
    Kind,
    ListItem,
    ListKind,
    MeetingMode,
    Review,
    Status,
    TraceFrequency,
    TraceType,
    UnregisteredReport,
)

YES_NO = [("", _("— choose —")), ("no", _("No")), ("yes", _("Yes"))]


def targets_field(label, *, required: bool = False, scope: str = "targetable",
                  exclude_types: tuple[str, ...] = ()) -> UnitsPickerField:
    """The receiving-units picker every form that names them shows, alike for every kind: each chosen unit
    with its own "and below" box, ticked by default as the one box of the old form was."""
    return UnitsPickerField(label=label, required=required, scope=scope, exclude_types=exclude_types, below=True,
                            below_default=True, legacy_below_name="include_below",
                            help_text=_("“Also the units below it” on a unit includes every unit under it. "
                                        "The burden estimate below shows what this changes."))


def below_initial(form: forms.BaseForm, name: str = "targets") -> None:
    """Views give the chosen ids and one "and below" flag; the picker shows a flag on each unit."""
    if name in form.initial and "include_below" in form.initial:
        form.initial = {**form.initial, name: initial_with_below(form.initial[name], form.initial["include_below"])}


class FilingBase(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    issuing_unit = UnitPickerField(label=_("Issuing unit"), scope="writable")
    occurs_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    targets = targets_field(_("Receiving units"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, issuer_queryset=None, target_queryset=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if issuer_queryset is not None:
            self.fields["issuing_unit"].queryset = issuer_queryset
        if target_queryset is not None:
            self.fields["targets"].queryset = target_queryset
        below_initial(self)
        bind_actor(self, actor)

    def clean(self):
        data = super().clean()
        item, day = data.get("list_item"), data.get("occurs_on")
        if item is not None and day is not None and item.annual_list.year != day.year:
            self.add_error("list_item", _("Choose an item of the %(year)s list: the filing's date is in %(year)s.")
                           % {"year": day.year})
        return data

    def target_pairs(self, existing: dict[int, bool] | None = None):
        return target_pairs(self, existing)


def target_pairs(form, existing: dict[int, bool] | None = None):
    """(unit, and below) for the chosen units. A unit already receiving keeps its own "and below" unless the
    reader changed the box the form showed for it; a unit added now takes its box."""
    picked = form.cleaned_data.get("targets") or PickedUnits()
    shown = dict(chosen_pairs(form.initial.get("targets")))
    existing = existing or {}
    # A post without the picker (API clients, old pages) has one "and below" box for all the units; it counts
    # as changed only if it differs from what that box showed (ticked when any unit had "and below").
    legacy = "targets_picker" not in getattr(form, "data", {})
    shown_any = any(shown.values())
    pairs = []
    for unit, below in picked.pairs():
        unchanged = shown_any == below if legacy else shown.get(unit.pk) == below
        if unit.pk in existing and unchanged:
            below = existing[unit.pk]
        pairs.append((unit, below))
    return pairs


class DocumentForm(FilingBase):
    document_kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    issued_in_name = forms.ChoiceField(label=_("Issued in the name of"), choices=IssuedInName.choices)
    upload = forms.FileField(label=_("Draft (.docx or .txt)"), required=False,
                             help_text=_("Or paste the text below."))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list_item"] = list_item_field(ListKind.REGULATIONS_DOCUMENTS)
        self.categories = list(categories)
        for c in self.categories:
            # "No" unless the clerk says otherwise: most drafts fall in none of the categories.
            self.fields[f"no_issue_{c['code']}"] = forms.ChoiceField(label=c["label"], choices=YES_NO,
                                                                     required=True, initial="no")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        limit = settings.JIANFU_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": settings.JIANFU_MAX_UPLOAD_MB})
        try:
            draft = read_draft(upload.read(), upload.name)
        except UnreadableDraft as exc:
            raise forms.ValidationError(_(exc.message)) from exc
        self.file_name = upload.name
        return draft.text

    def clean(self):
        data = super().clean()
        text = data.get("upload") or data.get("body") or ""
        if not text.strip() and not self.errors.get("upload"):
            self.add_error("body", _("Upload a .docx or .txt file or paste the text."))
        data["text"] = text
        return data

    def checklist(self):
        return {c["code"]: self.cleaned_data.get(f"no_issue_{c['code']}") == "yes" for c in self.categories
                if self.cleaned_data.get(f"no_issue_{c['code']}") in ("yes", "no")}

    def checklist_fields(self):
        return [self[f"no_issue_{c['code']}"] for c in self.categories]


class MeetingForm(FilingBase):
    city_wide = forms.BooleanField(label=_("City-wide meeting"), required=False)
    routine = forms.BooleanField(label=_("Routine work meeting"), required=False, initial=True)
    starts_at = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}), required=False)
    planned_minutes = forms.IntegerField(label=_("Planned length (minutes)"), min_value=1, max_value=1440)
    mode = forms.ChoiceField(label=_("Held"), choices=MeetingMode.choices)
    attendees = forms.IntegerField(label=_("Number of attendees"), min_value=1, max_value=1_000_000)
    attendee_roles = forms.CharField(label=_("Who attends"), max_length=300, required=False,
                                     help_text=_("e.g. 各县市区分管负责人、乡镇党委书记"))
    county_leaders_attend = forms.BooleanField(label=_("County leaders attend"), required=False)
    video_exemption_reason = forms.CharField(label=_("Why in person, if county leaders attend"), required=False,
                                             widget=forms.Textarea(attrs={"rows": 2}))
    speakers = forms.IntegerField(label=_("Number of speakers"), min_value=0, max_value=200, initial=0)
    minutes_per_speaker = forms.IntegerField(label=_("Minutes per speaker"), min_value=0, max_value=600, initial=0)
    replaceable = forms.ChoiceField(label=_("Can a phone call, a document or a news release do this instead?"),
                                    choices=[("", _("— choose —")), ("no", _("No, a meeting is needed")),
                                             ("phone", _("Yes, a phone call")), ("document", _("Yes, a document")),
                                             ("news", _("Yes, a news release"))])
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list_item"] = list_item_field(ListKind.IMPORTANT_MEETINGS)

    def meeting_data(self):
        d = self.cleaned_data
        return {k: d.get(k) for k in ("city_wide", "routine", "planned_minutes", "mode", "attendees",
                                      "attendee_roles", "county_leaders_attend", "video_exemption_reason",
                                      "speakers", "minutes_per_speaker", "replaceable")} | {
            "starts_at": d["starts_at"].strftime("%H:%M") if d.get("starts_at") else "",
            "list_item_id": d["list_item"].pk if d.get("list_item") else None}


class BasisField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.higher_rule}）"


class TraceForm(FilingBase):
    trace_types = forms.MultipleChoiceField(label=_("Traces the grassroots must keep"), choices=TraceType.choices,
                                            widget=forms.CheckboxSelectMultiple)
    frequency = forms.ChoiceField(label=_("How often"), choices=[("", _("— choose —"))] + list(TraceFrequency.choices))
    basis = BasisField(label=_("Higher rule on the allow-list"), queryset=TraceBasis.objects.filter(active=True),
                       required=False,
                       empty_label=_("None"),
                       help_text=_("Apart from safety production and other matters with explicit rules from above, "
                                   "the grassroots may not be required to keep traces of their work."))
    basis_text = forms.CharField(label=_("Clause of the higher rule cited"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    purpose = forms.CharField(label=_("What the traces are for"), widget=forms.Textarea(attrs={"rows": 3}))
    details = forms.CharField(label=_("Details of the requirement"), widget=forms.Textarea(attrs={"rows": 6}),
                              required=False)

    def trace_data(self):
        d = self.cleaned_data
        return {"trace_types": list(d.get("trace_types") or []), "frequency": d.get("frequency"),
                "basis_id": d["basis"].pk if d.get("basis") else None, "basis_text": d.get("basis_text") or "",
                "purpose": d.get("purpose") or ""}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        (Review.Decision.APPROVE, _("Approve and issue a control number")),
        (Review.Decision.RETURN, _("Return for changes")),
        (Review.Decision.REJECT, _("Reject"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    valid_until = forms.DateField(label=_("Valid until (optional)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class MergeForm(forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Control number"), max_length=60,
                             widget=forms.TextInput(attrs={"autofocus": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The shape of a number of this year, not a real one.
        self.fields["number"].widget.attrs["placeholder"] = f"WJ-{timezone.localdate().year}-00001-X"


class UnregisteredForm(forms.Form):
    number = forms.CharField(label=_("Number on the demand, if any"), max_length=60, required=False)
    unit = UnitPickerField(label=_("Receiving unit"), scope="writable")
    issuer_text = forms.CharField(label=_("Who placed the demand"), max_length=200, required=False)
    # Optional when a number is given, so the verify page files a report in one click.
    description = forms.CharField(label=_("What was demanded"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)

    def __init__(self, *args, unit_queryset=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit_queryset is not None:
            self.fields["unit"].queryset = unit_queryset
        bind_actor(self, actor)

    def clean(self):
        data = super().clean()
        if not (data.get("number") or "").strip() and not (data.get("description") or "").strip():
            self.add_error("description", _("Give the number on the demand or say what was demanded."))
        return data


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds"))] + list(Kind.choices))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses"))] + list(Status.choices))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mine = forms.BooleanField(label=_("Only what I filed"), required=False)


class ListItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("e.g. 全市基层减负工作推进会"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = UnitPickerField(label=_("Responsible unit"), required=False, scope="visible",
                                       queryset=Unit.objects.filter(active=True).order_by("path"))
    planned_month = forms.IntegerField(label=_("Planned month"), required=False, min_value=1, max_value=12)
    active = forms.BooleanField(label=_("On the list"), required=False, initial=True)


class AnnualListForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"), choices=ListKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class YearSelect(forms.Select):
    """Options carry their list's year, so the page offers only the items of the filing's year."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-year"] = str(instance.annual_list.year)
        return option


class ListItemChoiceField(forms.ModelChoiceField):
    widget = YearSelect

    def label_from_instance(self, obj):
        return f"{obj.title}（{obj.annual_list.year}）"


def list_item_field(kind: str) -> ListItemChoiceField:
    """The optional “5-list item” choice: active items of approved lists of this kind."""
    return ListItemChoiceField(
        label=_("Item of the 5 lists"), required=False,
        queryset=ListItem.objects.filter(active=True, annual_list__kind=kind,
                                         annual_list__status=AnnualList.Status.APPROVED)
        .select_related("annual_list").order_by("-annual_list__year", "title"),
        help_text=_("The item of the list of the filing's year that it carries out; leave empty if none."))


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All statuses")), ("open", _("Open"))] + list(UnregisteredReport.Status.choices))
    mine = forms.BooleanField(label=_("Only my reports"), required=False)


class ReportAcceptForm(forms.Form):
    note = forms.CharField(label=_("Note to the reporter (optional)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportRouteForm(forms.Form):
    unit = UnitPickerField(label=_("Unit concerned"), scope="visible",
                           types=(UnitType.DEPARTMENT, UnitType.COUNTY, UnitType.TOWNSHIP),
                           help_text=_("Usually the unit that placed the demand; it is asked to answer."))
    note = forms.CharField(label=_("What the unit should answer"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, unit_queryset=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit_queryset is not None:
            self.fields["unit"].queryset = unit_queryset
        bind_actor(self, actor)


class ReportReplyForm(forms.Form):
    text = forms.CharField(label=_("Answer to the reporter"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportCloseForm(forms.Form):
    note = forms.CharField(label=_("How the report ended"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("The reporter reads this."))
    version = forms.IntegerField(widget=forms.HiddenInput)
