"""The one place that decides which units a person may see and change."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Membership, Person, Unit
from .permissions import CAMPAIGN_WIDE_ROLES, READ_ONLY_ROLES, ROLE_PERMS


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    read_paths: tuple[str, ...] = ()
    write_paths: tuple[str, ...] = ()
    write_everything: bool = False
    perms: frozenset[str] = field(default_factory=frozenset)
    # (role, unit type) of each active membership: what the person's jobs are, for menus and home cards.
    roles: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def has_role(self, *roles: str, unit_types: tuple[str, ...] | None = None) -> bool:
        return any(r in roles and (unit_types is None or t in unit_types) for r, t in self.roles)

    def reads(self, unit: Unit) -> bool:
        return self.everything or any(unit.path.startswith(p) for p in self.read_paths)

    def writes(self, unit: Unit) -> bool:
        return self.write_everything or any(unit.path.startswith(p) for p in self.write_paths)

    @property
    def read_only(self) -> bool:
        return not self.write_everything and not self.write_paths


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path."""
    kept: list[str] = []
    for p in sorted(paths, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))


def scope_for(person: Person | None) -> Scope:
    """Return (and cache on the person) what this person may see and change."""
    if person is None or not getattr(person, "is_authenticated", False) or not person.is_active:
        return Scope()
    cached = getattr(person, "_jianfu_scope", None)
    if cached is not None:
        return cached
    memberships: list[Membership] = [m for m in person.active_memberships if m.unit.active]
    perms: set[str] = set()
    read: set[str] = set()
    write: set[str] = set()
    everything = person.is_superuser
    write_everything = person.is_superuser
    for m in memberships:
        perms |= ROLE_PERMS.get(m.role, frozenset())
        if m.role in CAMPAIGN_WIDE_ROLES:
            everything = True
            write_everything = True
            continue
        read.add(m.unit.path)
        if m.role not in READ_ONLY_ROLES:
            write.add(m.unit.path)
    roles = {(m.role, m.unit.type) for m in memberships}
    if person.is_superuser:
        perms |= ROLE_PERMS["system_admin"]
        roles.add(("system_admin", ""))
    scope = Scope(
        everything=everything,
        read_paths=_minimal(read),
        write_paths=() if write_everything else _minimal(write),
        write_everything=write_everything,
        perms=frozenset(perms),
        roles=frozenset(roles),
    )
    person._jianfu_scope = scope
    return scope


def has_perm(person: Person | None, perm: str) -> bool:
    return perm in scope_for(person).perms


def require(person: Person | None, perm: str) -> None:
    """Refuse a service call the person lacks the permission for; `None` is the system itself (commands,
    scheduled jobs, the demo), which may do anything. The one check every service and API endpoint uses."""
    if person is not None and not has_perm(person, perm):
        from django.utils.translation import gettext as _

        from jianfu.core.errors import ApplicationError

        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")


def _path_q(paths: tuple[str, ...], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{prefix}path__startswith": p})
    return q


def units_visible(person: Person | None) -> QuerySet[Unit]:
    scope = scope_for(person)
    if scope.everything:
        return Unit.objects.all()
    return Unit.objects.filter(_path_q(scope.read_paths))


def units_writable(person: Person | None) -> QuerySet[Unit]:
    scope = scope_for(person)
    if scope.write_everything:
        return Unit.objects.all()
    return Unit.objects.filter(_path_q(scope.write_paths))


def people_visible(person: Person | None) -> QuerySet[Person]:
    """People with an active membership in a visible unit, and the person themself."""
    scope = scope_for(person)
    if scope.everything:
        return Person.objects.all()
    if person is None or not getattr(person, "is_authenticated", False):
        return Person.objects.none()
    in_units = Membership.objects.filter(active=True).filter(_path_q(scope.read_paths, "unit__"))
    return Person.objects.filter(Q(pk=person.pk) | Q(pk__in=in_units.values("person_id")))


def filter_by_unit_scope(queryset: QuerySet, person: Person | None, unit_field: str = "unit") -> QuerySet:
    """Scope any queryset that points at a unit; later modules use this for their rows."""
    scope = scope_for(person)
    if scope.everything:
        return queryset
    return queryset.filter(_path_q(scope.read_paths, f"{unit_field}__"))


def get_or_404(queryset: QuerySet, **lookup):
    """Fetch from an already scoped queryset; anything outside it is a 404, never a 403."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def units_targetable(person: Person | None) -> QuerySet[Unit]:
    """The units a person may place demands on: the task force anywhere; a department on its city's units; a
    county on the units below it; a township on its villages; a village on nobody. Read-only roles on none."""
    scope = scope_for(person)
    units = Unit.objects.filter(active=True).exclude(type="task_force")
    if scope.write_everything:
        return units
    q, any_ = Q(pk__in=[]), False
    for m in person.active_memberships if person is not None else []:
        if m.role in READ_ONLY_ROLES or not m.unit.active:
            continue
        if m.unit.type == "department":
            city = m.unit.path.strip("/").split("/")[0]
            q |= Q(path__startswith=f"/{city}/")
            any_ = True
        elif m.unit.type in ("city", "county", "township", "other"):
            q |= Q(path__startswith=m.unit.path) & ~Q(pk=m.unit.pk)
            any_ = True
    return units.filter(q) if any_ else units.none()
