"""Organisation pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianfu.audit.selectors import audit_records_for_object
from jianfu.core.errors import ApplicationError
from jianfu.core.exports import export_start_response
from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import flash_success, form_error_from, require_perm

from . import selectors, services
from .forms import (
    AccountForm,
    LiaisonForm,
    MembershipForm,
    PersonFilterForm,
    PersonForm,
    UnitEditForm,
    UnitFilterForm,
    UnitForm,
)
from .models import Membership
from .permissions import Perm
from .scoping import get_or_404, has_perm, people_visible, scope_for, units_writable


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = {k: data.get(k) or "" for k in ("q", "type", "active")}
    parent_id = _int(request.GET.get("parent"))
    filtering = any(filters.values()) or parent_id
    qs = selectors.unit_list(actor=request.user, parent_id=parent_id, **filters)
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "org.units")
    page, query = paginate(request, qs)
    roots = None if filtering else selectors.unit_roots(actor=request.user)
    return render(request, "org/unit_list.html", {
        "form": form, "page": page, "query": query, "roots": roots, "filtering": filtering,
        "can_manage": has_perm(request.user, Perm.ORG_MANAGE),
    })


@login_required
def unit_children(request, pk: int):
    """The htmx fragment that expands one node of the tree."""
    unit = selectors.unit_get(actor=request.user, pk=pk)
    children = selectors.unit_children(actor=request.user, unit=unit)
    return render(request, "org/_unit_children.html", {"children": children, "parent": unit})


@login_required
def unit_detail(request, pk: int):
    unit = selectors.unit_get(actor=request.user, pk=pk)
    scope = scope_for(request.user)
    can_write = scope.writes(unit)
    members = selectors.unit_members(actor=request.user, unit=unit)
    liaison_form = None
    if can_write and has_perm(request.user, Perm.LIAISON_SET):
        liaison_form = LiaisonForm(
            initial={"person": unit.liaison_id},
            person_queryset=people_visible(request.user).filter(
                memberships__unit=unit, memberships__active=True).distinct(),
        )
    history = None
    if has_perm(request.user, Perm.AUDIT_VIEW):
        history = audit_records_for_object(object_type="org.unit", object_id=str(unit.pk))[:20]
    return render(request, "org/unit_detail.html", {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(actor=request.user, unit=unit),
        "children": selectors.unit_children(actor=request.user, unit=unit),
        "members": members,
        "liaison_form": liaison_form,
        "can_manage": can_write and has_perm(request.user, Perm.ORG_MANAGE),
        "history": history,
    })


@login_required
@require_perm(Perm.ORG_MANAGE)
def unit_create(request):
    parents = units_writable(request.user).filter(active=True)
    initial = {}
    parent_id = _int(request.GET.get("parent"))
    if parent_id:
        initial["parent"] = parent_id
    form = UnitForm(request.POST or None, initial=initial, parent_queryset=parents)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(by=request.user, code=form.cleaned_data["code"],
                                        name=form.cleaned_data["name"], type=form.cleaned_data["type"],
                                        parent=form.cleaned_data["parent"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect(unit)
    return render(request, "org/unit_form.html", {"form": form, "unit": None},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.ORG_MANAGE)
def unit_edit(request, pk: int):
    unit = get_or_404(units_writable(request.user), pk=pk)
    parents = units_writable(request.user).filter(active=True).exclude(path__startswith=unit.path)
    form = UnitEditForm(request.POST or None, parent_queryset=parents, initial={
        "code": unit.code, "name": unit.name, "type": unit.type, "parent": unit.parent_id,
        "version": unit.version})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(
                by=request.user, unit=unit, version=form.cleaned_data.get("version"),
                code=form.cleaned_data["code"], name=form.cleaned_data["name"],
                type=form.cleaned_data["type"], parent=form.cleaned_data["parent"],
                reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            if exc.code == "reason":
                form.add_error("reason", str(exc.message))
            else:
                form_error_from(form, exc)
        else:
            flash_success(request, _("Unit %(name)s saved.") % {"name": unit.name})
            return redirect(unit)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


@login_required
@require_POST
@require_perm(Perm.ORG_MANAGE)
def unit_toggle_active(request, pk: int):
    unit = get_or_404(units_writable(request.user), pk=pk)
    try:
        services.unit_set_active(by=request.user, unit=unit, active=not unit.active)
    except ApplicationError as exc:
        from django.contrib import messages

        messages.error(request, str(exc.message))
    else:
        flash_success(request, _("Unit activated.") if not unit.active else _("Unit deactivated."))
    return redirect(unit)


@login_required
@require_POST
@require_perm(Perm.LIAISON_SET)
def unit_set_liaison(request, pk: int):
    unit = get_or_404(units_writable(request.user), pk=pk)
    form = LiaisonForm(request.POST, person_queryset=people_visible(request.user).filter(
        memberships__unit=unit, memberships__active=True).distinct())
    from django.contrib import messages

    if form.is_valid():
        try:
            services.liaison_set(by=request.user, unit=unit, person=form.cleaned_data["person"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            flash_success(request, _("Liaison saved."))
    else:
        messages.error(request, _("Choose a member of this unit."))
    return redirect(unit)


@login_required
def person_list(request):
    form = PersonFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.person_list(actor=request.user, q=data.get("q") or "", role=data.get("role") or "",
                               unit_id=_int(request.GET.get("unit")), active=data.get("active") or "")
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "org.people")
    if request.GET.get("export") == "first_login_links":
        # The links must work off the site: the address this page was opened at, unless the site has its own.
        site = settings.JIANFU_SITE_URL or request.build_absolute_uri("/").rstrip("/")
        return export_start_response(request, "org.first_login_links", params={"site": site})
    page, query = paginate(request, qs)
    return render(request, "org/person_list.html", {
        "form": form, "page": page, "query": query, "can_manage": has_perm(request.user, Perm.ORG_MANAGE)})


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get(actor=request.user, pk=pk)
    memberships = selectors.person_memberships(actor=request.user, person=person)
    can_manage = has_perm(request.user, Perm.ORG_MANAGE)
    membership_form = None
    if can_manage:
        membership_form = MembershipForm(unit_queryset=units_writable(request.user).filter(active=True))
    history = None
    if has_perm(request.user, Perm.AUDIT_VIEW):
        history = audit_records_for_object(object_type="org.person", object_id=str(person.pk))[:20]
    return render(request, "org/person_detail.html", {
        "person": person, "memberships": memberships, "can_manage": can_manage,
        "membership_form": membership_form, "history": history,
    })


@login_required
@require_perm(Perm.ORG_MANAGE)
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(by=request.user, **{
                k: form.cleaned_data[k] for k in ("username", "name", "phone", "title")})
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("%(name)s added.") % {"name": person.name})
            return redirect(person)
    return render(request, "org/person_form.html", {"form": form, "person": None},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.ORG_MANAGE)
def person_edit(request, pk: int):
    person = selectors.person_get(actor=request.user, pk=pk)
    form = PersonForm(request.POST or None, initial={
        "username": person.username, "name": person.name, "phone": person.phone,
        "title": person.title, "version": person.version})
    form.fields["username"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(by=request.user, person=person,
                                            version=form.cleaned_data.get("version"),
                                            **{k: form.cleaned_data[k] for k in ("name", "phone", "title")})
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("%(name)s saved.") % {"name": person.name})
            return redirect(person)
    return render(request, "org/person_form.html", {"form": form, "person": person},
                  status=400 if form.errors else 200)


@login_required
@require_POST
@require_perm(Perm.ORG_MANAGE)
def membership_add(request, pk: int):
    person = selectors.person_get(actor=request.user, pk=pk)
    form = MembershipForm(request.POST, unit_queryset=units_writable(request.user).filter(active=True))
    from django.contrib import messages

    if form.is_valid():
        try:
            services.membership_grant(by=request.user, person=person, unit=form.cleaned_data["unit"],
                                      role=form.cleaned_data["role"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            flash_success(request, _("Role granted."))
    else:
        messages.error(request, _("Choose a unit and a role."))
    return redirect(person)


@login_required
@require_POST
@require_perm(Perm.ORG_MANAGE)
def membership_revoke(request, pk: int):
    membership = get_or_404(Membership.objects.filter(unit__in=units_writable(request.user)).select_related(
        "person", "unit"), pk=pk)
    services.membership_revoke(by=request.user, membership=membership)
    flash_success(request, _("Role ended."))
    return redirect(membership.person)


@login_required
def role_list(request):
    return render(request, "org/role_list.html", {"roles": selectors.role_summary(actor=request.user)})


@login_required
def task_force(request):
    return render(request, "org/task_force.html", {"task_forces": selectors.task_force_list(actor=request.user)})


@login_required
def liaison_list(request):
    q = request.GET.get("q", "").strip()
    missing = request.GET.get("missing") == "1"
    qs = selectors.liaison_list(actor=request.user, q=q, missing=missing)
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "org.liaisons")
    page, query = paginate(request, qs)
    return render(request, "org/liaison_list.html", {"page": page, "query": query, "q": q, "missing": missing})




@login_required
def account(request):
    """A person's own settings: e-mail for the digest, the digest itself, the language."""
    person = request.user
    form = AccountForm(request.POST or None, initial={"email": person.email, "digest": person.digest,
                                                      "preferred_language": person.preferred_language})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.person_settings_update(by=person, email=d["email"], digest=d["digest"],
                                            preferred_language=d["preferred_language"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("Your settings are saved."))
            response = redirect("org:account")
            if d["preferred_language"]:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, d["preferred_language"], samesite="Lax")
            return response
    return render(request, "org/account.html", {
        "form": form, "memberships": person.active_memberships,
        "mail_enabled": bool(settings.JIANFU_SMTP_HOST)}, status=400 if form.errors else 200)
