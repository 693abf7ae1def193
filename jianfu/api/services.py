"""Creating and revoking personal API tokens; only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError

from .models import ApiToken

TOKEN_PREFIX = "jf_"  # noqa: S105 - a public prefix, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, by, name: str) -> tuple[ApiToken, str]:
    """Return the token and its secret; the secret is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name so you recognise it later."), code="required")
    if ApiToken.objects.filter(person=by, revoked_at__isnull=True).count() >= 20:
        raise ApplicationError(_("You already have 20 active tokens; revoke one first."), code="too_many")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(person=by, name=name[:80], prefix=raw[:10], digest=token_digest(raw))
    audit_record(actor=by, action="api_token.create", obj=token, after={"name": token.name,
                                                                         "prefix": token.prefix})
    return token, raw


@transaction.atomic
def api_token_revoke(*, by, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=by, action="api_token.revoke", obj=token, after={"revoked": True})
    return token


def api_token_authenticate(raw: str):
    """Return the person behind an active token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("person").filter(
        digest=token_digest(raw), revoked_at__isnull=True).first()
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
