"""How the API tokens' audit records read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianfu.audit.describe import AuditAction, action_register, object_type_register

from .models import ApiToken


def register() -> None:
    """Register the sentences and labels of every action the api app writes."""
    token = ApiToken._meta
    object_type_register("api.apitoken", token.verbose_name)
    fields = {"name": token.get_field("name").verbose_name, "prefix": token.get_field("prefix").verbose_name,
              "revoked": token.get_field("revoked_at").verbose_name}
    action_register(
        AuditAction("api_token.create", _("%(actor)s created %(object)s"), fields=fields, object_type="api.apitoken"),
        AuditAction("api_token.revoke", _("%(actor)s revoked %(object)s"), fields=fields, object_type="api.apitoken"),
    )
