"""Login and logout pages with lockout messages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, login
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from .backends import lockout_until, login_failure_clear, login_failure_record


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Login name"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=gettext_lazy("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def _locked_message(until) -> str:
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return _("Too many failed attempts. This login name is locked for %(minutes)d more minutes.") % {
        "minutes": minutes}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or "home")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        until = lockout_until(username)
        if until:
            form.add_error(None, _locked_message(until))
            status = 429
        else:
            person = authenticate(request, username=username, password=form.cleaned_data["password"])
            if person is None:
                until = login_failure_record(username)
                if until:
                    form.add_error(None, _locked_message(until))
                    status = 429
                else:
                    form.add_error(None, _("The login name or password is not correct."))
                    status = 400
            else:
                login_failure_clear(username)
                login(request, person)
                if person.preferred_language:
                    response = redirect(next_url or "home")
                    from django.conf import settings

                    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.preferred_language,
                                        samesite="Lax", max_age=365 * 24 * 3600)
                    return response
                return redirect(next_url or "home")
    elif request.method == "POST":
        status = 400
    return render(request, "registration/login.html", {"form": form, "next": next_url}, status=status)


class JianfuLogoutView(LogoutView):
    pass
