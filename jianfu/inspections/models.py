"""Annual plans of inspections, checks and assessments (督查检查考核), their items and one-off approvals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Method(models.TextChoices):
    ON_SITE = "on_site", _("On-site check")
    DOCUMENTS = "documents", _("Review of documents and ledgers")
    ONLINE = "online", _("Online or by data")
    RANDOM = "random", _("Random spot check (双随机)")
    INTERVIEW = "interview", _("Talks and visits")
    ASSESSMENT = "assessment", _("Year-end assessment")


class InspectionPlan(models.Model):
    """One unit's annual plan (the city's, or a county's); the task force approves it against its cap."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, open for proposals")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="inspection_plans")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("annual inspection plan")
        verbose_name_plural = _("annual inspection plans")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="inspection_plan_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan", args=[self.pk])


class PlanItem(models.Model):
    """A proposed item of a plan; merged items point at the item that absorbed them."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("plan item", "Proposed")
        MERGED = "merged", _("Merged into another item")
        DROPPED = "dropped", _("Dropped")
        APPROVED = "approved", _("Approved")

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    proposing_unit = models.ForeignKey("org.Unit", verbose_name=_("proposed by unit"), on_delete=models.PROTECT,
                                       related_name="inspection_items")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("plan item", "proposed by"),
                                    on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices, default=Method.ON_SITE)
    times_per_year = models.PositiveSmallIntegerField(_("times a year"), default=1)
    on_site = models.BooleanField(_("on site"), default=True)
    months = models.JSONField(_("months"), default=list, blank=True)
    prepares = models.TextField(_("what the grassroots must prepare"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_from")
    note = models.TextField(_("task force note"), blank=True)
    demand = models.OneToOneField("demands.Demand", verbose_name=_("registered demand"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="plan_item")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "pk"]
        indexes = [models.Index(fields=["plan", "status"], name="plan_item_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:item", args=[self.pk])

    @property
    def counts(self) -> bool:
        """Whether the item counts against the plan's cap."""
        return self.status in (self.Status.PROPOSED, self.Status.APPROVED)


class PlanItemTarget(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    include_below = models.BooleanField(_("and the units below it"), default=False)

    class Meta:
        verbose_name = _("unit inspected")
        verbose_name_plural = _("units inspected")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="plan_item_target_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.unit_id}"


class OneOffApproval(models.Model):
    """一事一报: the recorded approval an inspection outside the plan needs before its control number."""

    demand = models.OneToOneField("demands.Demand", verbose_name=_("filing"), on_delete=models.PROTECT,
                                  related_name="one_off_approval")
    reason = models.TextField(_("reason"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
                                 related_name="+")
    approved_on = models.DateField(_("approved on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("one-off approval")
        verbose_name_plural = _("one-off approvals")

    def __str__(self) -> str:
        return f"{self.demand_id} · {self.approver}"
