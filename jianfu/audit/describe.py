"""Audit records read as sentences: who did what to which object, and a table of what changed.

The apps that write records register, in their own `audit_actions.register()`, a sentence per action,
a label per object type, a label per field of their before/after dicts and formatters for values such
as status codes. This module knows no domain app; an unregistered action still reads, generically.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

Formatter = Callable[[Any], str]
Label = Any  # a str or a lazy translation
EMPTY = "—"
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class AuditAction:
    """How one action reads: its sentence with %(actor)s and %(object)s, and how its fields read."""

    action: str
    sentence: Label
    object_label: Label | None = None
    fields: Mapping[str, Label] = field(default_factory=dict)
    values: Mapping[str, Formatter] = field(default_factory=dict)
    object_type: str = ""

    @property
    def label(self) -> str:
        """What the action is called in a filter: its sentence without an actor, like "… approved filing"."""
        noun = self.object_label or object_type_label(self.object_type) or "…"
        return str(self.sentence) % {"actor": "…", "object": noun}


@dataclass(frozen=True)
class ObjectType:
    """What a kind of object is called; `kind_label` may name it more exactly from the record's values
    (a filing that is a document reads "document"), `reference` adds a number such as a control number."""

    object_type: str
    label: Label
    kind_label: Callable[[Mapping[str, Any]], Label | None] | None = None
    reference: Callable[[Mapping[str, Any]], str | None] | None = None


@dataclass(frozen=True)
class Change:
    field_label: str
    before_text: str
    after_text: str


@dataclass(frozen=True)
class Description:
    sentence: str
    changes: list[Change]
    actor: str = ""
    object: str = ""

    @property
    def changes_text(self) -> str:
        """One line per field, "label: before → after", for exports."""
        return "\n".join(f"{capfirst(c.field_label)}: {c.before_text} → {c.after_text}" for c in self.changes)


_actions: dict[str, AuditAction] = {}
_prefixes: dict[str, AuditAction] = {}
_object_types: dict[str, ObjectType] = {}


def action_register(*actions: AuditAction) -> None:
    """Register how actions read; registering the same action again replaces it (idempotent)."""
    for action in actions:
        _actions[action.action] = action


def action_prefix_register(prefix: str, sentence: Label, object_label: Label | None = None,
                           fields: Mapping[str, Label] | None = None,
                           values: Mapping[str, Formatter] | None = None, object_type: str = "") -> None:
    """Register how a family of actions reads (`burden.estimate.` covers `burden.estimate.changed`…)."""
    _prefixes[prefix] = AuditAction(prefix, sentence, object_label, dict(fields or {}), dict(values or {}),
                                    object_type)


def object_type_register(object_type: str, label: Label, *,
                         kind_label: Callable[[Mapping[str, Any]], Label | None] | None = None,
                         reference: Callable[[Mapping[str, Any]], str | None] | None = None) -> None:
    """Register what objects of a type (`demands.demand`) are called in sentences."""
    _object_types[object_type] = ObjectType(object_type, label, kind_label, reference)


def registered_action(action: str, *, exact: bool = False) -> AuditAction | None:
    """The registration for an action: its own, else (unless `exact`) that of the longest registered prefix."""
    found = _actions.get(action)
    if found is not None or exact:
        return found
    matches = [p for p in _prefixes if action.startswith(p)]
    return _prefixes[max(matches, key=len)] if matches else None


def registered_actions() -> list[AuditAction]:
    """Every registered action and family (families last), for filters."""
    return [*_actions.values(), *_prefixes.values()]


def registered_object_types() -> list[ObjectType]:
    return list(_object_types.values())


def object_type_label(object_type: str) -> Label | None:
    registered = _object_types.get(object_type)
    return registered.label if registered else None


# --- values ------------------------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def format_value(value: Any) -> str:
    """A value as words: — for nothing, Yes/No, dates as YYYY-MM-DD, local times, lists joined with 、."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if _DATETIME.match(value):
            try:
                return _local(dt.datetime.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(format_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    return str(value)


def _local(moment: dt.datetime) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def choice_label(choices: Iterable[tuple[Any, Label]]) -> Formatter:
    """A formatter that reads a code as its label (`choice_label(Status.choices)`); lists label each item."""
    labels = dict(choices)

    def fmt(value: Any) -> str:
        if isinstance(value, list | tuple):
            return LIST_SEPARATOR.join(fmt(v) for v in value)
        try:
            label = labels.get(value)
        except TypeError:  # an unhashable value cannot be a code
            label = None
        return str(label) if label is not None else format_value(value)

    return fmt


def fixed_text(text: Label) -> Formatter:
    """A formatter that shows the same words whatever the value (a password "changed")."""
    return lambda value: str(text)


def _text(formatter: Formatter | None, value: Any) -> str:
    if is_empty(value) or formatter is None:
        return format_value(value)
    return formatter(value)


# --- describing a record ----------------------------------------------------------------------------------

def _actor_text(record: Any) -> str:
    if record.actor_id is None:
        return str(_("The system"))
    return record.actor_label or str(_("The system"))


def _values_of(record: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for side in (record.before, record.after):
        if isinstance(side, dict):
            values.update(side)
    return values


def _object_text(record: Any, action: AuditAction | None) -> str:
    registered = _object_types.get(record.object_type)
    values = _values_of(record)
    noun: Any = None
    if action is not None and action.object_label:
        noun = action.object_label
    elif registered is not None:
        noun = (registered.kind_label(values) if registered.kind_label else None) or registered.label
    noun = str(noun) if noun else record.object_type
    reference = registered.reference(values) if registered is not None and registered.reference else None
    if record.object_repr and reference and reference not in record.object_repr:
        return _("%(type)s “%(name)s” (%(reference)s)") % {"type": noun, "name": record.object_repr,
                                                             "reference": reference}
    if record.object_repr:
        return _("%(type)s “%(name)s”") % {"type": noun, "name": record.object_repr}
    if reference:
        return _("%(type)s %(reference)s") % {"type": noun, "reference": reference}
    if record.object_id:
        return _("%(type)s #%(id)s") % {"type": noun, "id": record.object_id}
    return noun


def _changes(record: Any, action: AuditAction | None) -> list[Change]:
    before, after = record.before, record.after
    fields = action.fields if action is not None else {}
    values = action.values if action is not None else {}
    if (before is not None and not isinstance(before, dict)) or (after is not None and not isinstance(after, dict)):
        # Not a dict of fields: show the whole value as one row.
        if before == after:
            return []
        return [Change(str(_("Value")), format_value(before), format_value(after))]
    before, after = before or {}, after or {}
    keys = list(after) + [k for k in before if k not in after]
    changes = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new or (is_empty(old) and is_empty(new)):
            continue
        label = fields.get(key, key)
        if label is None:  # registered as hidden
            continue
        fmt = values.get(key)
        changes.append(Change(str(label), _text(fmt, old), _text(fmt, new)))
    return changes


def describe(record: Any) -> Description:
    """The sentence and the changed fields of one audit record, in the active language."""
    action = registered_action(record.action)
    actor = _actor_text(record)
    obj = _object_text(record, action)
    if action is not None:
        sentence = str(action.sentence) % {"actor": actor, "object": obj}
    else:
        sentence = _("%(actor)s: %(action)s on %(object)s") % {"actor": actor, "action": record.action,
                                                                 "object": obj}
    return Description(sentence=sentence, changes=_changes(record, action), actor=actor, object=obj)

