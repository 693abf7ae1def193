"""The page where a person creates and revokes personal API tokens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jianfu.core.errors import ApplicationError
from jianfu.core.views_helpers import flash_success, form_error_from, require_perm
from jianfu.org.permissions import Perm
from jianfu.org.scoping import get_or_404

from .models import ApiToken
from .services import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=80)


@login_required
@require_perm(Perm.API_TOKENS)
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_create(by=request.user, name=form.cleaned_data["name"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(person=request.user)
    response = render(request, "api/tokens.html", {"form": form, "tokens": tokens, "secret": secret},
                      status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_or_404(ApiToken.objects.filter(person=request.user), pk=pk)
    api_token_revoke(by=request.user, token=token)
    flash_success(request, _("Token revoked."))
    return redirect("api_tokens")
