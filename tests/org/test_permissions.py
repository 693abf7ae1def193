"""One enum of permission codes, a code per decision, and one `require()` used by every service."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import jianfu
from jianfu.audit.views import AUDIT_VIEW
from jianfu.core.errors import ApplicationError
from jianfu.core.views import TASKS_VIEW
from jianfu.org.permissions import ROLE_PERMS, Perm
from jianfu.org.scoping import require

ROOT = Path(jianfu.__file__).parent


def test_the_codes_lower_layers_name_are_codes_of_the_one_enum():
    assert {TASKS_VIEW, AUDIT_VIEW} <= set(Perm.values)


def test_plan_approval_baselines_budgets_and_re_estimates_each_have_their_own_code():
    decisions = {Perm.INSPECTION_PLANS, Perm.INSPECTION_ONE_OFF, Perm.BURDEN_RE_ESTIMATE, Perm.BURDEN_BUDGET,
                 Perm.REPORT_BASELINE, Perm.FIELD_DICTIONARY, Perm.DEMAND_REVIEW}
    assert len({str(p) for p in decisions}) == len(decisions)
    assert all(p.label for p in decisions)


def test_the_task_force_holds_every_decision_and_a_clerk_or_cadre_none_of_them(cast):
    for perm in (Perm.INSPECTION_PLANS, Perm.BURDEN_BUDGET, Perm.REPORT_BASELINE, Perm.FIELD_DICTIONARY):
        assert cast.officer.has_perm(perm)
        assert not cast.clerk.has_perm(perm)
        assert not cast.cadre_a.has_perm(perm)
        assert not cast.leader.has_perm(perm)


def test_a_person_answers_has_perm_by_code_from_their_roles(cast):
    assert cast.officer.has_perm("audit.view")
    assert not cast.village_cadre_a.has_perm("audit.view")
    assert cast.admin.has_perm("core.tasks_view")
    assert not cast.officer.has_perm("core.tasks_view")


def test_require_refuses_the_outsider_and_lets_the_system_through(cast):
    require(None, Perm.BURDEN_BUDGET)
    require(cast.officer, Perm.BURDEN_BUDGET)
    with pytest.raises(ApplicationError) as exc:
        require(cast.cadre_b, Perm.BURDEN_BUDGET)
    assert exc.value.code == "forbidden"


def test_no_module_keeps_a_copy_of_the_permission_check():
    copies = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
              if re.search(r"^def _require\(", p.read_text(encoding="utf-8"), re.M)]
    assert not copies


def test_every_role_holds_only_codes_of_the_enum():
    for perms in ROLE_PERMS.values():
        assert perms <= set(Perm.values)
