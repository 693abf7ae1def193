"""The demo's burden budgets and estimate history: one department over its budget, a real cut, a re-estimate."""

from __future__ import annotations

from jianfu.demands.models import Demand, Kind, Status
from jianfu.org.models import Person, Unit

from . import services
from .models import Activity, Complexity
from .selectors import ledger


def burden_demo_load(*, people: dict[str, Person], units: dict[str, Unit]) -> None:
    officer = people["tf_officer"]
    # Budgets for 2019: 市委办's is below what it has placed, so it is over; 市政府办 stays within.
    rows = {r.unit.code: r for r in ledger(actor=None, year=2019, scoped=False)}
    for code, factor in (("431000D02", 0.9), ("431000D03", 1.2)):
        if code in rows:
            services.budget_set(by=officer, unit=units[code], year=2019, hours=int(rows[code].placed * factor),
                                note="2019年度基层负担预算（一进一出）")
    # A re-estimate: the task force finds a normative document takes longer to implement than the table says.
    document = (Demand.objects.filter(kind=Kind.DOCUMENT, status__in=(Status.IN_FORCE, Status.EXPIRED),
                                      occurs_on__year=2019).order_by("pk").first())
    if document is not None:
        services.burden_re_estimate(
            by=officer, demand=document, occurrences=1, note="乡镇需逐条对照制定落实方案，按复杂情形重新估算",
            lines=[{"activity": Activity.PREPARE_MATERIALS, "complexity": Complexity.COMPLEX, "count": 1}])
