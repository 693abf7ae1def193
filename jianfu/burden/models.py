"""Burden hours: the standard activity table, versioned estimates per demand, and demand-unit links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    FILL_FORM = "fill_form", _("Fill in a form")
    ATTEND_MEETING = "attend_meeting", _("Attend a meeting")
    PREPARE_MATERIALS = "prepare_materials", _("Prepare materials")
    HOST_CHECK = "host_check", _("Host an on-site check")
    TAKE_PHOTOS = "take_photos", _("Take photos")
    WRITE_MINUTES = "write_minutes", _("Write minutes or notes")
    KEEP_LEDGER = "keep_ledger", _("Keep a ledger")


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("Simple")
    MEDIUM = "medium", _("Medium")
    COMPLEX = "complex", _("Complex")


class ActivityTable(models.Model):
    """One version of the standard activity table: minutes per activity and complexity."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("in force from"))
    minutes = models.JSONField(_("minutes"))  # {activity: {simple: n, medium: n, complex: n}}
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("standard activity table")
        verbose_name_plural = _("standard activity tables")
        ordering = ["-effective_from", "-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"


class Estimate(models.Model):
    """One version of a demand's burden estimate; earlier versions are kept."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("First estimate")
        CHANGED = "changed", _("The demand changed")
        RE_ESTIMATE = "re_estimate", _("Re-estimate (the demand did not change)")

    demand = models.ForeignKey("demands.Demand", verbose_name=_("demand"), on_delete=models.CASCADE,
                               related_name="estimates")
    number = models.PositiveIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    table = models.ForeignKey(ActivityTable, verbose_name=_("activity table"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="estimates")
    lines = models.JSONField(_("activities"))  # [{activity, complexity, count, minutes}]
    occurrences = models.PositiveIntegerField(_("times a year"))
    units = models.PositiveIntegerField(_("units affected"))
    unit_minutes = models.PositiveBigIntegerField(_("minutes per unit"))  # per affected unit, all occurrences
    total_minutes = models.PositiveBigIntegerField(_("total minutes"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("estimated by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("estimated"), auto_now_add=True)

    class Meta:
        verbose_name = _("burden estimate")
        verbose_name_plural = _("burden estimates")
        ordering = ["demand", "number"]
        constraints = [models.UniqueConstraint(fields=["demand", "number"], name="estimate_number_unique")]

    def __str__(self) -> str:
        return f"{self.demand_id} e{self.number}"


class BurdenLink(models.Model):
    """One issued demand on one unit it falls on, with the minutes it costs that unit; the per-unit
    pages read only this table (denormalised kind, issuer and date), so they stay fast at scale."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="burden_links")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="burden_links")
    kind = models.CharField(max_length=12)
    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    occurs_on = models.DateField()
    minutes = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit", "occurs_on"], name="burden_unit_date_idx",
                                include=["kind", "minutes", "issuing_unit"])]
        constraints = [models.UniqueConstraint(fields=["demand", "unit"], name="burden_link_unique")]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.unit_id}: {self.minutes}"


class Budget(models.Model):
    """A department's burden budget for a year (one in, one out): hours it may place on the grassroots."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.PositiveIntegerField(_("hours"))
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("burden budget")
        verbose_name_plural = _("burden budgets")
        ordering = ["-year", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="budget_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.hours} h"
