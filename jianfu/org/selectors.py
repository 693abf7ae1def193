"""Every read of the organisation goes through here and is scoped by the acting person."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Membership, Person, Role, Secondment, TaskForceGroup, Unit, UnitType
from .scoping import get_or_404, people_visible, scope_for, units_visible


def unit_list(*, actor: Person, q: str = "", type: str = "", parent_id: int | None = None,
              active: str = "") -> QuerySet[Unit]:
    qs = units_visible(actor).select_related("parent", "liaison")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if type:
        qs = qs.filter(type=type)
    if parent_id:
        qs = qs.filter(parent_id=parent_id)
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs.order_by("path")


def unit_get(*, actor: Person, pk: int) -> Unit:
    return get_or_404(units_visible(actor).select_related("parent", "liaison"), pk=pk)


def unit_children(*, actor: Person, unit: Unit) -> QuerySet[Unit]:
    return units_visible(actor).filter(parent=unit).annotate(n_children=Count("children")).order_by("code")


def unit_roots(*, actor: Person) -> QuerySet[Unit]:
    """The top of what the person sees: units whose parent is not visible to them."""
    scope = scope_for(actor)
    visible = units_visible(actor)
    if scope.everything:
        return visible.filter(parent__isnull=True).annotate(n_children=Count("children"))
    roots = [p.strip("/").split("/")[-1] for p in scope.read_paths]
    return visible.filter(pk__in=roots).annotate(n_children=Count("children"))


def unit_ancestors(*, actor: Person, unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids
    by_id = {u.pk: u for u in units_visible(actor).filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def unit_members(*, actor: Person, unit: Unit) -> QuerySet[Membership]:
    unit_get(actor=actor, pk=unit.pk)
    return Membership.objects.filter(unit=unit, active=True).select_related("person").order_by(
        "role", "person__name")


def unit_type_counts(*, actor: Person) -> list[dict]:
    rows = units_visible(actor).filter(active=True).values("type").annotate(n=Count("pk")).order_by("type")
    labels = dict(UnitType.choices)
    return [{"type": r["type"], "label": str(labels.get(r["type"], r["type"])), "n": r["n"]} for r in rows]


def person_list(*, actor: Person, q: str = "", role: str = "", unit_id: int | None = None,
                active: str = "") -> QuerySet[Person]:
    qs = people_visible(actor)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(username__icontains=q) | Q(phone__icontains=q))
    visible_memberships = Membership.objects.filter(
        active=True, unit__in=units_visible(actor)).select_related("unit")
    if role or unit_id:
        # Filter on memberships the actor can see, so a filter never reveals a role held elsewhere.
        matching = visible_memberships
        if role:
            matching = matching.filter(role=role)
        if unit_id:
            matching = matching.filter(unit_id=unit_id)
        qs = qs.filter(pk__in=matching.values("person_id"))
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.distinct().prefetch_related(
        Prefetch("memberships", queryset=visible_memberships, to_attr="visible_memberships")
    ).order_by("name", "pk")


def person_get(*, actor: Person, pk: int) -> Person:
    return get_or_404(people_visible(actor), pk=pk)


def person_memberships(*, actor: Person, person: Person) -> QuerySet[Membership]:
    return Membership.objects.filter(person=person, unit__in=units_visible(actor)).select_related(
        "unit").order_by("-active", "unit__path")


def role_summary(*, actor: Person) -> list[dict]:
    counts = dict(
        Membership.objects.filter(active=True, unit__in=units_visible(actor)).values("role").annotate(
            n=Count("person", distinct=True)).values_list("role", "n")
    )
    return [{"role": value, "label": label, "n": counts.get(value, 0)} for value, label in Role.choices]


def task_force_list(*, actor: Person) -> QuerySet[Unit]:
    return units_visible(actor).filter(type=UnitType.TASK_FORCE).prefetch_related(
        Prefetch("task_force_groups", queryset=TaskForceGroup.objects.prefetch_related(
            Prefetch("secondments", queryset=Secondment.objects.select_related("person", "from_unit"))
        ))
    )


def liaison_list(*, actor: Person, q: str = "", missing: bool = False) -> QuerySet[Unit]:
    qs = units_visible(actor).filter(active=True).select_related("liaison", "parent")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(liaison__name__icontains=q) | Q(code__icontains=q))
    if missing:
        qs = qs.filter(liaison__isnull=True)
    return qs.order_by("path")
