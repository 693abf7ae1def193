"""Findings as a given reader may see them: a match outside the reader's scope is told, never named.

The gate decides with every filing (a near-duplicate, a related meeting, a form that already collects the
fields), so the stored finding keeps the full match and the task force sees it whole. Anyone else reads a
match they cannot open as "a similar filing exists at another unit": no title, control number or link.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jianfu.org.models import Person

from .selectors import demands_visible

HIDDEN = gettext_noop("A similar filing exists at another unit; the task force can see it.")
HIDDEN_MERGE = gettext_noop("%(covered)s of this form's %(total)s fields are already collected by a registered "
                            "form of %(unit)s; the task force can see that form.")
HIDDEN_FORM = gettext_noop("%(count)s field(s) of this form are already collected by a registered form of "
                           "%(unit)s: %(fields)s.")


class ShownFinding:
    """A stored (or just computed) finding as one reader sees it; everything else reads through."""

    def __init__(self, finding: Any, *, hidden: bool):
        self._finding = finding
        self.hidden = hidden
        detail = dict(getattr(finding, "detail", None) or {})
        if hidden:
            detail.pop("demand_id", None)
            detail.pop("fields", None)
        self.detail = detail

    def __getattr__(self, name: str) -> Any:
        return getattr(self._finding, name)

    @property
    def text(self) -> str:
        if not self.hidden:
            return self._finding.text()
        params = self._finding.params or {}
        # Report forms: 一表通 is the point, so the field names and the issuing department stay visible.
        if params.get("unit") and "covered" in params:
            return _(HIDDEN_MERGE) % {"covered": params["covered"], "total": params.get("total", ""),
                                      "unit": params["unit"]}
        if params.get("unit") and "count" in params:
            return _(HIDDEN_FORM) % {"count": params["count"], "unit": params["unit"],
                                     "fields": params.get("fields", "")}
        return _(HIDDEN)

    @property
    def fix_text(self) -> str:
        fix_params = getattr(self._finding, "fix_params", None) or {}
        if self.hidden and set(fix_params) - {"unit", "missing"}:
            return _("Ask the task force whether that filing already covers this one.")
        if self.hidden and not self._finding.fix:
            return ""
        return self._finding.fix_text()


def findings_for(viewer: Person | None, findings: Iterable[Any]) -> list[ShownFinding]:
    """Wrap findings for `viewer`; one query decides which referenced filings the viewer may open."""
    items = list(findings)
    ids = {f.detail.get("demand_id") for f in items if getattr(f, "detail", None) and f.detail.get("demand_id")}
    seen: set[int] = set()
    if ids and viewer is not None:
        seen = set(demands_visible(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    return [ShownFinding(f, hidden=bool((getattr(f, "detail", None) or {}).get("demand_id"))
                         and f.detail["demand_id"] not in seen) for f in items]
