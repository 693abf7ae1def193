"""Checks on a trace-keeping requirement (留痕): it must cite a higher rule on the allow-list, in force that day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from django.utils.translation import gettext_noop

from jianfu.rules.engine import Finding, RuleSet


class Basis(Protocol):
    """What the check reads of an allow-list entry (a `rules.TraceBasis`)."""

    pk: Any
    name: str
    higher_rule: str
    active: bool
    effective_from: dt.date
    effective_to: dt.date | None


def check_trace(*, data: dict[str, Any], rules: RuleSet, bases: Mapping[int, Basis],
                on: dt.date) -> list[Finding]:
    """Return the findings for a trace-keeping requirement dated `on`; `bases` holds the entry it cites."""
    findings: list[Finding] = []
    rule = rules.get("trace.requires_basis")
    if rule is None or not rule.value:
        return findings
    basis_id = data.get("basis_id")
    basis = bases.get(basis_id) if basis_id is not None else None
    if basis_id is None:
        findings.append(Finding.of(
            rule, gettext_noop("Trace-keeping may be required of the grassroots only where a higher rule on the "
                               "allow-list requires it; this requirement cites none."), {},
            fix=gettext_noop("Cite the matter on the allow-list (such as safety production) whose higher rule "
                             "requires these traces, or drop the requirement.")))
    elif basis is None:
        findings.append(Finding.of(
            rule, gettext_noop("The basis cited is not on the trace-keeping allow-list."), {},
            fix=gettext_noop("Choose a matter on the allow-list, or drop the requirement."), basis_id=basis_id))
    elif not basis.active:
        findings.append(Finding.of(
            rule, gettext_noop("“%(name)s” has been taken off the trace-keeping allow-list."), {"name": basis.name},
            fix=gettext_noop("Choose a matter on the allow-list, or drop the requirement."), basis_id=basis_id))
    elif basis.effective_from > on or (basis.effective_to is not None and basis.effective_to < on):
        findings.append(Finding.of(
            rule, gettext_noop("“%(name)s” is on the allow-list from %(start)s to %(end)s, not on %(date)s."),
            {"name": basis.name, "start": basis.effective_from.isoformat(),
             "end": basis.effective_to.isoformat() if basis.effective_to else "—", "date": on.isoformat()},
            fix=gettext_noop("Choose a matter on the allow-list on that date, or drop the requirement."),
            basis_id=basis_id))
    if basis_id is not None and not (data.get("basis_text") or "").strip():
        findings.append(Finding.of(
            rule, gettext_noop("Quote the clause of the higher rule that requires these traces."), {},
            severity="warn",
            fix=gettext_noop("Add the article, for example of %(rule)s."),
            fix_params={"rule": basis.higher_rule if basis is not None else "—"}))
    return findings
