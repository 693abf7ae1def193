"""The rulebook pages: the rules in force, their history, changing one (which adds a version), the allow-list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianfu.core.errors import ApplicationError
from jianfu.core.views_helpers import flash_success, form_error_from, require_perm
from jianfu.org.models import Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm

from . import selectors, services
from .catalogue import RULES, note_shown, rule_label, rule_sentence
from .engine import localised
from .forms import RuleChangeForm, TraceBasisForm, value_as_text


def _shown(value, kind):
    if kind == "categories":
        return [localised(c) for c in value]
    return value


@login_required
def rulebook(request):
    today = timezone.localdate()
    rows = [{"v": v, "label": rule_label(v.code), "value": _shown(v.value, RULES[v.code].value_kind),
             "unit": RULES[v.code].unit, "kind": RULES[v.code].value_kind,
             "sentence": rule_sentence(v.code, v.value), "note": note_shown(v.note)}
            for v in selectors.rulebook_current(on=today) if v.code in RULES]
    return render(request, "rules/rulebook.html", {"rows": rows, "today": today,
                                                   "can_edit": has_perm(request.user, Perm.RULES_EDIT)})


@login_required
def rule_history(request, code: str):
    if code not in RULES:
        raise Http404
    versions = selectors.rule_versions(code=code)
    return render(request, "rules/history.html", {
        "code": code, "label": rule_label(code), "can_edit": has_perm(request.user, Perm.RULES_EDIT), "versions": [
        {"v": v, "value": _shown(v.value, RULES[code].value_kind), "sentence": rule_sentence(code, v.value),
         "note": note_shown(v.note)} for v in versions]})


@login_required
@require_perm(Perm.RULES_EDIT)
def rule_change(request, code: str):
    if code not in RULES:
        raise Http404
    rule = RULES[code]
    current = selectors.ruleset_for(unit=None, on=timezone.localdate()).get(code)
    initial = {"value": value_as_text(current.value if current else rule.default, rule.value_kind),
               "severity": current.severity if current else rule.severity,
               "source_clause": current.clause if current else rule.clause,
               "effective_from": timezone.localdate()}
    scopes = Unit.objects.filter(type__in=[UnitType.CITY, UnitType.COUNTY], active=True).order_by("path")
    form = RuleChangeForm(request.POST or None, initial=initial, value_kind=rule.value_kind, scope_queryset=scopes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        scope = d["scope_unit"] if d["scope_unit"] and d["scope_unit"].type != UnitType.CITY else None
        try:
            services.rule_change(by=request.user, code=code, value=d["value"], severity=d["severity"],
                                 source_clause=d["source_clause"], effective_from=d["effective_from"],
                                 effective_to=d["effective_to"], scope_unit=scope, note=d["note"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The rule was changed; earlier verdicts keep the version they used."))
            return redirect("rules:history", code=code)
    return render(request, "rules/change.html", {"form": form, "code": code, "label": rule_label(code)},
                  status=400 if form.errors else 200)


@login_required
def trace_bases(request):
    return render(request, "rules/trace_bases.html", {
        "bases": selectors.trace_bases(), "today": timezone.localdate(),
        "can_edit": has_perm(request.user, Perm.RULES_EDIT)})


def _trace_basis_form(request, basis=None):
    initial = {"effective_from": timezone.localdate(), "active": True}
    if basis is not None:
        initial = {"name": basis.name, "higher_rule": basis.higher_rule, "description": basis.description,
                   "effective_from": basis.effective_from, "effective_to": basis.effective_to,
                   "active": basis.active}
    form = TraceBasisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if basis is None:
                services.trace_basis_create(by=request.user, **d)
            else:
                services.trace_basis_update(by=request.user, basis=basis, **d)
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The allow-list was saved."))
            return redirect("rules:trace_bases")
    return render(request, "rules/trace_basis_form.html", {"form": form, "basis": basis},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.RULES_EDIT)
def trace_basis_new(request):
    return _trace_basis_form(request)


@login_required
@require_perm(Perm.RULES_EDIT)
def trace_basis_edit(request, pk: int):
    return _trace_basis_form(request, get_object_or_404(selectors.trace_bases(), pk=pk))


@login_required
@require_POST
@require_perm(Perm.RULES_EDIT)
def trace_basis_deactivate(request, pk: int):
    basis = get_object_or_404(selectors.trace_bases(), pk=pk)
    try:
        services.trace_basis_deactivate(by=request.user, basis=basis)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        flash_success(request, _("“%(name)s” was taken off the allow-list.") % {"name": basis.name})
    return redirect("rules:trace_bases")
