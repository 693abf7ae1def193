"""The rulebook: every rule is dated, scoped, versioned data; findings point at the version they used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    BLOCK = "block", _("Blocks")
    WARN = "warn", _("Warns")


class RuleVersion(models.Model):
    """One immutable version of a rule; editing a rule adds a version and closes the previous one."""

    code = models.CharField(_("rule"), max_length=60, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    value = models.JSONField(_("value"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    source_clause = models.TextField(_("clause of the source"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    scope_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("scope"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty for the whole city; a unit for a stricter rule in its subtree."),
    )
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["code", "scope_unit_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "scope_unit", "version"], name="rules_version_unique"),
            models.UniqueConstraint(fields=["code", "version"], condition=models.Q(scope_unit__isnull=True),
                                    name="rules_citywide_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class TraceBasis(models.Model):
    """A matter on which a higher rule allows departments to require trace-keeping (留痕) from the grassroots."""

    name = models.CharField(_("matter"), max_length=100)
    higher_rule = models.CharField(_("higher rule cited"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("trace-keeping basis")
        verbose_name_plural = _("trace-keeping allow-list")
        ordering = ["-active", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="rules_trace_basis_name_unique")]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, on) -> bool:
        """Whether a filing dated `on` may cite this entry."""
        return self.active and self.effective_from <= on and (self.effective_to is None or self.effective_to >= on)
