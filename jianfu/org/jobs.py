"""A person's jobs, read from their roles and the types of their units, so that menus and home pages fit
each role: a village cadre verifies numbers and reports, a clerk files, the task force reviews.

Jobs decide what is offered, never what is allowed: access is the scope gate's (org.scoping).
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Role, UnitType
from .scoping import scope_for

ADMIN = "admin"
TASK_FORCE = "task_force"
OVERSIGHT = "oversight"
LEADER = "leader"
DEPARTMENT = "department"
COUNTY = "county"
TOWNSHIP = "township"
VILLAGE = "village"
# Bodies that place demands on units below them.
ISSUERS = frozenset({ADMIN, TASK_FORCE, DEPARTMENT, COUNTY, TOWNSHIP})
# Units that receive demands and verify them.
GRASSROOTS = frozenset({COUNTY, TOWNSHIP, VILLAGE})
# Those who read the whole campaign's figures.
CAMPAIGN = frozenset({ADMIN, TASK_FORCE, OVERSIGHT, LEADER})

_GRASSROOTS_BY_TYPE = {UnitType.CITY: COUNTY, UnitType.COUNTY: COUNTY, UnitType.TOWNSHIP: TOWNSHIP,
                       UnitType.VILLAGE: VILLAGE, UnitType.OTHER: TOWNSHIP, UnitType.DEPARTMENT: DEPARTMENT,
                       UnitType.TASK_FORCE: TASK_FORCE}


def jobs(person) -> frozenset[str]:
    """The person's jobs (cached on the person for the request)."""
    cached = getattr(person, "_jianfu_jobs", None)
    if cached is not None:
        return cached
    out: set[str] = set()
    for role, unit_type in scope_for(person).roles:
        if role == Role.SYSTEM_ADMIN:
            out.add(ADMIN)
        elif role == Role.TASK_FORCE_OFFICER:
            out.add(TASK_FORCE)
        elif role == Role.OVERSIGHT_OFFICER:
            out.add(OVERSIGHT)
        elif role == Role.LEADER:
            out.add(LEADER)
        elif role == Role.DEPARTMENT_CLERK:
            out.add(DEPARTMENT)
        elif role == Role.GRASSROOTS_CADRE:
            out.add(_GRASSROOTS_BY_TYPE.get(unit_type, TOWNSHIP))
    result = frozenset(out)
    if person is not None and getattr(person, "is_authenticated", False):
        person._jianfu_jobs = result
    return result


def for_jobs(*names: str | frozenset[str]) -> Callable[[object], bool]:
    """A predicate: the person holds one of these jobs."""
    wanted: set[str] = set()
    for name in names:
        wanted |= set(name) if isinstance(name, frozenset) else {name}
    return lambda person: bool(jobs(person) & wanted)


def with_perm(perm: str, *names: str | frozenset[str]) -> Callable[[object], bool]:
    """A predicate: the person holds the permission and, when jobs are named, one of them."""
    job_test = for_jobs(*names) if names else (lambda person: True)
    return lambda person: perm in scope_for(person).perms and job_test(person)


def grassroots_top(group: str) -> Callable[[object], str | None]:
    """A menu group for most people; for grassroots cadres, a link of its own in the top bar, so their few
    jobs are one click from anywhere."""
    def choose(person) -> str | None:
        held = jobs(person)
        return None if held & GRASSROOTS and not held & (CAMPAIGN | {DEPARTMENT}) else group
    return choose
