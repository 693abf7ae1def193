"""Report forms (报表) in the registry: the field dictionary (数据字典), each form's fields, and the
per-department baselines the report-material cut is measured against."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_ALIAS_SEPARATORS = re.compile(r"[、,，;；\n]")


def split_aliases(text: str) -> list[str]:
    """Other names as typed: separated by 、, commas, semicolons or new lines."""
    return [a.strip() for a in _ALIAS_SEPARATORS.split(text or "") if a.strip()] if text else []


class MaterialType(models.TextChoices):
    REPORT_SET = "report_set", _("Report set")
    BRIEFING = "briefing", _("Briefing")
    LEDGER = "ledger", _("Ledger")
    OTHER = "other", _("Other material")


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every half year")
    YEARLY = "yearly", _("Every year")
    PER_EVENT = "per_event", _("Each time the event occurs")


# How many times a year each respondent fills the form; "per event" takes the filer's own estimate.
RESPONSES_PER_YEAR = {Frequency.ONCE: 1, Frequency.WEEKLY: 52, Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4,
                      Frequency.HALF_YEARLY: 2, Frequency.YEARLY: 1}

# The rule that caps a department's report materials against its baseline year (checks and figures read it).
MATERIAL_CUT = "report_forms.material_cut"


class FieldDefinition(models.Model):
    """One item of data a form may ask for, with its definition and the unit that already holds it."""

    name = models.CharField(_("field name"), max_length=120, unique=True)
    definition = models.TextField(_("definition"), blank=True,
                                  help_text=_("What exactly is counted (统计口径), so two forms mean the same thing."))
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    holder = models.ForeignKey("org.Unit", verbose_name=_("held by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="fields_held",
                               help_text=_("The unit that already holds this data, so others can ask it instead."))
    aliases = models.CharField(_("other names"), max_length=300, blank=True,
                               help_text=_("Other names the same data goes by, separated by 、 or commas."))
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    proposed = models.BooleanField(_("proposed, not yet accepted"), default=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("dictionary field")
        verbose_name_plural = _("field dictionary")
        ordering = ["name"]
        indexes = [models.Index(fields=["active", "name"], name="fielddef_active_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reportforms:field_detail", args=[self.pk])

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)

    def similarity_text(self) -> str:
        return f"{self.name} {self.definition}".strip()


class FormField(models.Model):
    """One field a registered form asks for; rows (not only the version's JSON) so reuse is one SQL query."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="form_fields")
    field = models.ForeignKey(FieldDefinition, verbose_name=_("field"), on_delete=models.PROTECT,
                              related_name="form_fields")
    position = models.PositiveSmallIntegerField(_("position"))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("field of a form")
        verbose_name_plural = _("fields of forms")
        ordering = ["demand", "position"]
        constraints = [models.UniqueConstraint(fields=["demand", "field"], name="form_field_unique")]
        indexes = [models.Index(fields=["field", "demand"], name="form_field_reuse_idx")]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.field_id}"


class FormProfile(models.Model):
    """What the materials count and the burden estimate read of a form, one row per report-form demand."""

    demand = models.OneToOneField("demands.Demand", on_delete=models.CASCADE, primary_key=True,
                                  related_name="form_profile")
    material_type = models.CharField(_("material type"), max_length=12, choices=MaterialType.choices, db_index=True)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    responses_per_year = models.PositiveIntegerField(_("responses a year"), default=1)
    minutes_per_response = models.PositiveIntegerField(_("minutes per response"), default=0)
    respondents = models.PositiveIntegerField(_("respondent units"), default=0)
    field_count = models.PositiveIntegerField(_("fields"), default=0)

    class Meta:
        verbose_name = _("report-form profile")
        verbose_name_plural = _("report-form profiles")

    def __str__(self) -> str:
        return f"{self.demand_id} {self.material_type}"


class MaterialBaseline(models.Model):
    """A department's report materials in a base year, set by the task force; the cut is measured against it."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="material_baselines")
    year = models.PositiveSmallIntegerField(_("base year"))
    report_sets = models.PositiveIntegerField(_("report sets"), default=0)
    briefings = models.PositiveIntegerField(_("briefings"), default=0)
    ledgers = models.PositiveIntegerField(_("ledgers"), default=0)
    others = models.PositiveIntegerField(_("other materials"), default=0)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("report-material baseline")
        verbose_name_plural = _("report-material baselines")
        ordering = ["unit__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="material_baseline_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def total(self) -> int:
        return self.report_sets + self.briefings + self.ledgers + self.others

    def count_of(self, material_type: str) -> int:
        return {MaterialType.REPORT_SET: self.report_sets, MaterialType.BRIEFING: self.briefings,
                MaterialType.LEDGER: self.ledgers, MaterialType.OTHER: self.others}[material_type]


class FieldKey(models.Model):
    """A dictionary field's name or one of its other names, normalised: an exact look-up is one indexed query.

    Written by `reuse.field_index_sync` whenever a field is created or changed.
    """

    field = models.ForeignKey(FieldDefinition, on_delete=models.CASCADE, related_name="+")
    key = models.TextField()
    alias = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["key", "alias"], name="field_key_idx")]

    def __str__(self) -> str:
        return f"{self.field_id}: {self.key}"


class FieldBand(models.Model):
    """One LSH band of a field's name (entry 0) or of its name and definition (entry 1): fields that share a key
    are candidates for a similar field. `key` is entry · 2⁴⁰ + band · 2³² + the band's 32-bit key."""

    pk = models.CompositePrimaryKey("key", "field")
    key = models.BigIntegerField()
    field = models.ForeignKey(FieldDefinition, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.field_id}: {self.key}"
