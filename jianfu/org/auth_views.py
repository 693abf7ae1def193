"""Login and logout pages with lockout messages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from jianfu.core.errors import ApplicationError
from jianfu.core.views_helpers import flash_success, form_error_from

from . import passwords, selectors


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Login name"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=gettext_lazy("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def _next_url(request) -> str:
    """Where to go afterwards: the `next` asked for, if it stays on this site."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return ""
    return next_url


def locked_message(lock) -> str:
    if lock.name_wide:
        return _("Too many failed attempts on this login name from different places. From a browser you have "
                 "not used before, try again in %(minutes)d minutes; a browser you logged in with before is not "
                 "held up.") % {"minutes": lock.minutes}
    return _("Too many failed attempts. This login name is locked for %(minutes)d more minutes.") % {
        "minutes": lock.minutes}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = _next_url(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or "home")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        # The backend counts, locks and audits (the same at every door); this page only words the answer.
        person = authenticate(request, username=username, password=form.cleaned_data["password"])
        lock = getattr(request, "jianfu_login_lock", None)
        if person is None and lock is not None:
            form.add_error(None, locked_message(lock))
            status = 429
        elif person is None:
            form.add_error(None, _("The login name or password is not correct."))
            status = 400
        else:
            login(request, person)
            response = redirect(next_url or "home")
            if person.preferred_language:
                from django.conf import settings

                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.preferred_language,
                                    samesite="Lax", max_age=365 * 24 * 3600)
            return response
    elif request.method == "POST":
        status = 400
    response = render(request, "registration/login.html", {"form": form, "next": next_url}, status=status)
    if status == 429:
        response["Retry-After"] = str(request.jianfu_login_lock.minutes * 60)
    return response


class JianfuLogoutView(LogoutView):
    pass


class NewPasswordForm(forms.Form):
    new = forms.CharField(label=gettext_lazy("New password"), strip=False,
                          widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                          help_text=gettext_lazy("At least 10 characters, not only digits, not a common password."))
    again = forms.CharField(label=gettext_lazy("New password again"), strip=False,
                            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new") and data.get("again") and data["new"] != data["again"]:
            self.add_error("again", _("The two new passwords differ."))
        return data


class PasswordChangeForm(NewPasswordForm):
    current = forms.CharField(label=gettext_lazy("Current password"), strip=False,
                              widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["current", "new", "again"]


@sensitive_post_parameters("current", "new", "again")
@login_required
@never_cache
def password_change_view(request):
    """Change one's own password; also where a temporary password leads at every page until it is changed."""
    next_url = _next_url(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = passwords.password_change(by=request.user, current=form.cleaned_data["current"],
                                               new=form.cleaned_data["new"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            update_session_auth_hash(request, person)  # stay logged in here; other sessions end
            flash_success(request, _("Your password is changed."))
            return redirect(next_url or "org:account")
    return render(request, "registration/password_change.html", {
        "form": form, "next": next_url, "temporary": request.user.must_change_password},
        status=400 if form.errors else 200)


@login_required
@require_POST
def person_password_view(request, pk: int):
    """An administrator gives a temporary password, or a first-login link, shown once on the page."""
    person = selectors.person_get(actor=request.user, pk=pk)
    what = request.POST.get("what")
    try:
        if what == "link":
            secret = request.build_absolute_uri(passwords.first_login_link_create(by=request.user, person=person))
        else:
            secret = passwords.password_set_temporary(by=request.user, person=person)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(person)
    response = render(request, "org/person_password.html", {"person": person, "what": what, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("new", "again")
@never_cache
def first_login_view(request, uidb64: str, token: str):
    """A new person sets their password with the link an administrator gave them; no login needed."""
    person = passwords.first_login_person(uidb64, token)
    if person is None:
        return render(request, "registration/first_login.html", {"invalid": True}, status=404)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.first_login_complete(uidb64=uidb64, token=token, new=form.cleaned_data["new"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("Your password is set. Log in with it."))
            return redirect("login")
    return render(request, "registration/first_login.html", {"form": form, "person": person},
                  status=400 if form.errors else 200)
