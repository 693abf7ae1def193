"""The registry of demands placed on lower units, with one lifecycle for every kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    MEETING = "meeting", _("Meeting")
    INSPECTION = "inspection", _("Inspection, check or assessment")
    REPORT_FORM = "report_form", _("Report form")
    TRACE = "trace", _("Trace-keeping requirement")


# Kind codes in control numbers: 文件 WJ, 会议 HY, 督查 DC, 报表 BB, 留痕 LH.
KIND_CODES = {Kind.DOCUMENT: "WJ", Kind.MEETING: "HY", Kind.INSPECTION: "DC", Kind.REPORT_FORM: "BB",
              Kind.TRACE: "LH"}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Checked, awaiting review")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    APPROVED = "approved", _("Approved, not yet in force")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentKind(models.TextChoices):
    NORMATIVE = "normative", _("Normative document")
    COMPREHENSIVE = "comprehensive", _("Comprehensive report")
    SPECIAL = "special", _("Special report")
    OTHER = "other", _("Other document")


class IssuedInName(models.TextChoices):
    """In whose name a document goes out (发文名义); the source counts the first four together."""

    CITY_COMMITTEE = "city_committee", _("City Party committee")
    CITY_GOVERNMENT = "city_government", _("City government")
    COMMITTEE_OFFICE = "committee_office", _("General office of the city Party committee")
    GOVERNMENT_OFFICE = "government_office", _("General office of the city government")
    DEPARTMENT = "department", _("A department in its own name")
    COUNTY = "county", _("A county-level body")


CITY_NAMES = (IssuedInName.CITY_COMMITTEE, IssuedInName.CITY_GOVERNMENT, IssuedInName.COMMITTEE_OFFICE,
              IssuedInName.GOVERNMENT_OFFICE)


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("By video")
    BOTH = "both", _("In person and by video")


class TraceType(models.TextChoices):
    PHOTOS = "photos", _("Photos")
    SIGN_IN_SHEETS = "sign_in_sheets", _("Sign-in sheets")
    LEDGERS = "ledgers", _("Ledgers")
    WORK_NOTES = "work_notes", _("Work notes")
    OTHER = "other", _("Other traces")


class TraceFrequency(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    PER_EVENT = "per_event", _("Each time the work is done")


class Source(models.TextChoices):
    FILED = "filed", _("Filed through the gate")
    LEDGER = "ledger", _("Recorded from the ledger before the registry")


class Demand(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    issuing_unit = models.ForeignKey("org.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT,
                                     related_name="demands_issued")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT,
                                 related_name="demands_filed")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, editable=False)
    current_revision = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", editable=False)
    # The date the demand takes effect on the grassroots: a document's date of issue, a meeting's day.
    occurs_on = models.DateField(_("date"), null=True, blank=True, db_index=True)
    document_kind = models.CharField(_("document kind"), max_length=14, choices=DocumentKind.choices, blank=True)
    issued_in_name = models.CharField(_("issued in the name of"), max_length=20, choices=IssuedInName.choices,
                                      blank=True)
    city_wide = models.BooleanField(_("city-wide"), default=False)
    control_number = models.CharField(_("control number"), max_length=24, unique=True, null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    burden_minutes = models.PositiveBigIntegerField(_("burden (minutes)"), default=0)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.FILED)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_from")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "status", "occurs_on"], name="demand_kind_status_date_idx"),
            models.Index(fields=["issuing_unit", "kind", "occurs_on"], name="demand_issuer_idx"),
            models.Index(fields=["kind", "issued_in_name", "occurs_on"], name="demand_name_date_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])

    @property
    def counts_as_issued(self) -> bool:
        return self.status in (Status.APPROVED, Status.IN_FORCE, Status.EXPIRED)


class Target(models.Model):
    """A unit the demand falls on; `include_below` extends it to every unit under it."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="demands_received")
    include_below = models.BooleanField(_("and the units below it"), default=False)

    class Meta:
        verbose_name = _("receiving unit")
        verbose_name_plural = _("receiving units")
        constraints = [models.UniqueConstraint(fields=["demand", "unit"], name="demand_target_unique")]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.unit}"


class Revision(models.Model):
    """One submitted version of a filing; never changed after it is saved, so versions can be compared."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict)
    char_count = models.PositiveIntegerField(_("characters"), default=0)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    blocking = models.PositiveSmallIntegerField(_("blocking findings"), default=0)
    warnings = models.PositiveSmallIntegerField(_("warnings"), default=0)

    class Meta:
        verbose_name = _("version of a filing")
        verbose_name_plural = _("versions of filings")
        ordering = ["demand", "number"]
        constraints = [models.UniqueConstraint(fields=["demand", "number"], name="demand_revision_unique")]

    def __str__(self) -> str:
        return f"{self.demand_id} v{self.number}"


class Finding(models.Model):
    """What a rule found on one version; it keeps the rule version it used."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="findings")
    rule_code = models.CharField(_("rule"), max_length=60)
    rule_version = models.ForeignKey("rules.RuleVersion", verbose_name=_("rule version"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="findings")
    severity = models.CharField(_("severity"), max_length=8)
    clause = models.TextField(_("clause of the source"))
    message = models.TextField()
    params = models.JSONField(default=dict)
    fix = models.TextField(blank=True)
    fix_params = models.JSONField(default=dict)
    detail = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["revision", "severity", "pk"]  # "block" sorts before "warn"

    def __str__(self) -> str:
        return f"{self.rule_code} ({self.severity})"

    def text(self) -> str:
        from jianfu.rules.engine import render

        return render(self.message, self.params)

    def fix_text(self) -> str:
        from jianfu.rules.engine import render

        return render(self.fix, self.fix_params) if self.fix else ""

    def rule_label(self):
        from jianfu.rules.catalogue import rule_label

        return rule_label(self.rule_code)


class Review(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        RETURN = "return", _("Return for changes")
        REJECT = "reject", _("Reject")
        MERGE = "merge", _("Merge into another filing")
        WITHDRAW = "withdraw", _("Withdraw")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="reviews")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="reviews", null=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["demand", "at"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.decision}"


class ControlNumberCounter(models.Model):
    kind_code = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind_code", "year"], name="control_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind_code}-{self.year}: {self.last}"


class LookupResult(models.TextChoices):
    VALID = "valid", _("Valid")
    NOT_YET_VALID = "not_yet_valid", _("Not valid yet")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_YOURS = "not_yours", _("Registered for other units")
    UNKNOWN = "unknown", _("Not a registered number")
    MALFORMED = "malformed", _("Not a control number")
    NONE = "none", _("No number given")


class UnregisteredReport(models.Model):
    """A receiving unit's report of a demand without a valid control number; the task force accepts it,
    may ask the unit concerned to answer, replies and closes it, and the reporter reads every step."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")
        ROUTED = "routed", _("Sent to the unit concerned")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                 on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("receiving unit"), on_delete=models.PROTECT,
                             related_name="unregistered_reports")
    number_entered = models.CharField(_("number entered"), max_length=60, blank=True)
    lookup_result = models.CharField(_("what the check found"), max_length=20, choices=LookupResult.choices)
    demand = models.ForeignKey(Demand, verbose_name=_("matching filing"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="unregistered_reports")
    issuer_text = models.CharField(_("who placed the demand"), max_length=200, blank=True)
    description = models.TextField(_("what was demanded"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    routed_to = models.ForeignKey("org.Unit", verbose_name=_("sent to"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="unregistered_reports_routed")
    answered_at = models.DateTimeField(_("last answer"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("unregistered-demand report")
        verbose_name_plural = _("unregistered-demand reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="unregistered_status_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.number_entered or '—'}"

    def get_absolute_url(self) -> str:
        return reverse("demands:unregistered_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class ReportEvent(models.Model):
    """One step in the handling of an unregistered-demand report, shown to the reporter as it happened."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", pgettext_lazy("report", "Accepted")
        ROUTE = "route", _("Sent to the unit concerned")
        REPLY = "reply", _("Answer")
        CLOSE = "close", _("Closed")

    report = models.ForeignKey(UnregisteredReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=8, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    by_unit = models.ForeignKey("org.Unit", verbose_name=_("for the unit"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("sent to"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    text = models.TextField(_("text"), blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("step of a report")
        verbose_name_plural = _("steps of reports")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class ListKind(models.TextChoices):
    """The 5 lists (5张清单), each an annual plan that filings of the matching kind are checked against."""

    IMPORTANT_MEETINGS = "important_meetings", _("City-wide important meetings")
    IMPORTANT_ACTIVITIES = "important_activities", _("Important activities")
    REGULATIONS_DOCUMENTS = "regulations_documents", _("Party regulations and normative documents")
    INSPECTIONS = "inspections", _("City-level inspection, check and assessment items")
    REPORT_TO_PROVINCE = "report_to_province", _("Key matters to report to the province")


class AnnualList(models.Model):
    """One of the 5 lists for a year and a unit (the city); only an approved list is checked against."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    kind = models.CharField(_("list"), max_length=24, choices=ListKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    scope_unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                   related_name="annual_lists")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("annual list")
        verbose_name_plural = _("annual lists")
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "scope_unit"], name="annual_list_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("demands:five_list", args=[self.pk])


class ListItem(models.Model):
    annual_list = models.ForeignKey(AnnualList, verbose_name=_("list"), on_delete=models.CASCADE,
                                    related_name="items")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible_unit = models.ForeignKey("org.Unit", verbose_name=_("responsible unit"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="list_items")
    planned_month = models.PositiveSmallIntegerField(_("planned month"), null=True, blank=True)
    active = models.BooleanField(_("on the list"), default=True)

    class Meta:
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        ordering = ["annual_list", "planned_month", "pk"]

    def __str__(self) -> str:
        return self.title


class IndexedDocument(models.Model):
    """A registered document in the near-duplicate index: the MinHash signature of the version it was taken of.

    Written and deleted by `document_index.document_index_sync` as the document enters or leaves the indexed
    statuses; never read outside that module.
    """

    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, primary_key=True, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    signature = models.BinaryField()  # num_perm little-endian uint32 values

    def __str__(self) -> str:
        return f"{self.demand_id} v{self.revision_id}"


class DocumentBand(models.Model):
    """One LSH band of an indexed document: documents that share a key are near-duplicate candidates.

    `key` is the band's number times 2³² plus the band's 32-bit key, so one `key IN (…)` over the primary key
    (key, demand) finds the candidates of every band at once.
    """

    pk = models.CompositePrimaryKey("key", "demand")
    key = models.BigIntegerField()
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.key}"
