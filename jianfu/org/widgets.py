"""The one unit picker every form that names units uses: the chosen units and a search box, never a list of all.

The page carries only the chosen units (hidden inputs, so a form sent back for another reason keeps them);
matches arrive as the person types, from `org:unit_pick`, searched in the database a page at a time. The
server still validates every posted id against the field's queryset, as a `<select>` did.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Person, Unit
from .picker import PICKER_SCOPES, unit_labels
from .scoping import units_visible

# A filing may name many units, but not the whole province one by one: "and below" is for that.
MAX_PICKED = 2000
TRUTHY = ("on", "true", "True", "1", "yes")


class PickedUnits(list):
    """The chosen units in tree order, with each one's "and below" flag (`below[pk]`)."""

    def __init__(self, units: Iterable[Unit] = (), below: dict[int, bool] | None = None):
        super().__init__(units)
        self.below = below or {}

    def pairs(self) -> list[tuple[Unit, bool]]:
        return [(u, bool(self.below.get(u.pk, False))) for u in self]


def _pk(value) -> int | None:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (list, tuple)) and value:
        return _pk(value[0])
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def chosen_pairs(value, below_default: bool = False) -> list[tuple[int, bool]]:
    """Normalise a picker value (ids, units, (id, and below) pairs, a queryset or one id) to (pk, flag) pairs."""
    if value in (None, "", [], ()):
        return []
    if isinstance(value, (str, int, Model)):
        value = [value]
    out: list[tuple[int, bool]] = []
    seen: set[int] = set()
    for item in value:
        pk = _pk(item)
        if pk is None or pk in seen:
            continue
        seen.add(pk)
        flag = item[1] if isinstance(item, (list, tuple)) and len(item) > 1 else below_default
        out.append((pk, bool(flag)))
    return out


class UnitPicker(forms.Widget):
    """Chosen units as hidden inputs (and an "and below" box each, where the form has that notion) plus a
    search box whose matches load with htmx."""

    template_name = "org/picker/widget.html"

    def __init__(self, *, scope: str = "visible", multiple: bool = False, below: bool = False,
                 below_default: bool = False, legacy_below_name: str = "", types: Iterable[str] = (),
                 exclude_types: Iterable[str] = (), empty_label=None, attrs=None):
        super().__init__(attrs)
        if scope not in PICKER_SCOPES:
            raise ValueError(f"unknown picker scope {scope!r}")
        self.scope, self.multiple, self.below, self.below_default = scope, multiple, below, below_default
        self.legacy_below_name = legacy_below_name
        self.types, self.exclude_types = tuple(types), tuple(exclude_types)
        self.empty_label = empty_label
        self.queryset = Unit.objects.none()
        self.actor: Person | None = None

    @property
    def is_hidden(self) -> bool:
        return False

    def _render(self, template_name, context, renderer=None):
        # The picker's templates live with the project's, which Django's default form renderer does not read.
        return super()._render(template_name, context, TemplatesSetting())

    def use_required_attribute(self, initial) -> bool:
        return False

    def id_for_label(self, id_):
        return id_

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        if not self.multiple:
            return data.get(name)
        ids = getlist(name) if getlist else data.get(name) or []
        if isinstance(ids, (str, int)):
            ids = [ids]
        if not self.below:
            return list(ids)
        if f"{name}_picker" in data:
            marked = getlist(f"{name}_below") if getlist else data.get(f"{name}_below") or []
            marked = {str(m) for m in ([marked] if isinstance(marked, (str, int)) else marked)}
            return [(i, str(i) in marked) for i in ids]
        # A post that predates the per-unit boxes: one "and below" for every unit, as the form used to have.
        every = bool(self.legacy_below_name) and str(data.get(self.legacy_below_name, "")) in TRUTHY
        return [(i, every) for i in ids]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_picker" not in data

    def format_value(self, value):
        return chosen_pairs(value, self.below_default)

    def search_url(self, field_id: str) -> str:
        params = {"scope": self.scope, "field": field_id}
        if self.types:
            params["types"] = ",".join(self.types)
        if self.exclude_types:
            params["exclude"] = ",".join(self.exclude_types)
        return f"{reverse('org:unit_pick')}?{urlencode(params)}"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pairs = context["widget"]["value"]
        if not self.multiple:
            pairs = pairs[:1]
        chosen = []
        if pairs:
            flags = dict(pairs)
            # Only units the field allows are shown again: a refused or out-of-scope id is dropped, never named.
            units = list(self.queryset.filter(pk__in=list(flags)[:MAX_PICKED]).order_by("path")
                         .only("pk", "name", "code", "type", "path"))
            allowed = PICKER_SCOPES[self.scope](self.actor) if self.actor is not None else self.queryset
            labels = unit_labels(units, allowed=allowed, actor=self.actor)
            chosen = [{"label": label, "below": flags[label.pk]} for label in labels]
        field_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update({
            "field_id": field_id, "chosen": chosen, "multiple": self.multiple, "below": self.below,
            "below_default": self.below_default, "every_below": bool(chosen) and all(c["below"] for c in chosen),
            "legacy_below_name": self.legacy_below_name, "search_url": self.search_url(field_id),
            "empty_label": self.empty_label,
        })
        return context


class UnitPickerField(forms.ModelChoiceField):
    """One unit, chosen with the picker; refuses a unit outside its queryset."""

    multiple = False
    default_error_messages = {
        "invalid_choice": _("Choose the unit from the list: the one given is not among the units you may "
                            "choose here."),
        "invalid_named": _("%(unit)s is not among the units you may choose here."),
    }

    def __init__(self, *, queryset=None, scope: str = "visible", types: Iterable[str] = (),
                 exclude_types: Iterable[str] = (), empty_label=None, below: bool = False,
                 below_default: bool = False, legacy_below_name: str = "", **kwargs):
        widget = UnitPicker(scope=scope, multiple=self.multiple, below=below, below_default=below_default,
                            legacy_below_name=legacy_below_name, types=types, exclude_types=exclude_types,
                            empty_label=empty_label)
        kwargs.pop("widget", None)
        super().__init__(queryset=Unit.objects.none() if queryset is None else queryset, widget=widget,
                         empty_label=None, **kwargs)
        self.actor: Person | None = None

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def set_actor(self, actor: Person | None) -> None:
        """Who fills the form: refused units they can see are named, and the picker shows the units above."""
        self.actor = actor
        self.widget.actor = actor

    def refused(self, pks: Iterable[int]) -> ValidationError:
        visible = []
        if self.actor is not None and pks:
            visible = list(units_visible(self.actor).filter(pk__in=list(pks)[:20]).order_by("path")
                           .values_list("name", flat=True))
        if visible:
            return ValidationError(self.error_messages["invalid_named"], code="invalid_choice",
                                   params={"unit": "、".join(visible)})
        return ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def to_python(self, value):
        pairs = chosen_pairs(value)
        if not pairs:
            if value not in self.empty_values:
                raise self.refused([])
            return None
        pk = pairs[0][0]
        try:
            return self.queryset.get(pk=pk)
        except Unit.DoesNotExist as exc:
            raise self.refused([pk]) from exc

    def has_changed(self, initial, data):
        return [p for p, _b in chosen_pairs(initial)] != [p for p, _b in chosen_pairs(data)]


class UnitsPickerField(UnitPickerField):
    """Several units, each optionally "and below", chosen with the picker; cleans to `PickedUnits`."""

    multiple = True
    default_error_messages = {
        "too_many": _("Choose at most %(n)s units; to include every unit under one, tick “Also the units "
                      "below it” on it."),
    }

    def to_python(self, value):
        return value

    def validate(self, value):
        pass

    def clean(self, value):
        if isinstance(value, (str, int)):
            value = [value]
        raw = list(value or [])
        if any(_pk(v) is None for v in raw):
            raise self.refused([])
        pairs = chosen_pairs(raw, False)
        if not pairs:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return PickedUnits()
        if len(pairs) > MAX_PICKED:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"n": MAX_PICKED})
        flags = dict(pairs)
        units = list(self.queryset.filter(pk__in=list(flags)).order_by("path"))
        missing = set(flags) - {u.pk for u in units}
        if missing:
            raise self.refused(sorted(missing))
        self.run_validators(units)
        return PickedUnits(units, below={u.pk: flags[u.pk] for u in units})

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        return chosen_pairs(initial) != chosen_pairs(data)


def initial_with_below(ids, below: bool) -> list[tuple[int, bool]]:
    """Initial (unit, and below) pairs from the ids and one flag, as views that predate the picker give them."""
    return [(pk, bool(below)) for pk, _b in chosen_pairs(ids)]


def bind_actor(form: forms.BaseForm, actor: Person | None) -> None:
    """Tell every unit picker of the form who fills it in."""
    for field in form.fields.values():
        if isinstance(field, UnitPickerField):
            field.set_actor(actor)
