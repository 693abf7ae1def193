"""The worker's schedule table and the record of tasks that failed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """A job the worker enqueues on a fixed rhythm; modules register theirs in code."""

    class Every(models.TextChoices):
        HOUR = "hour", _("Hourly")
        DAY = "day", _("Daily")
        WEEK = "week", _("Weekly")

    name = models.CharField(_("name"), max_length=80, unique=True)
    task_path = models.CharField(_("task"), max_length=200)
    every = models.CharField(_("every"), max_length=8, choices=Every.choices)
    at_time = models.TimeField(_("at (Beijing time)"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaskAttempt(models.Model):
    """The chain of attempts of one logical task; gives up after the configured number."""

    first_result_id = models.CharField(max_length=64, unique=True)
    latest_result_id = models.CharField(max_length=64, unique=True)
    task_path = models.CharField(_("task"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    gave_up = models.BooleanField(_("gave up"), default=False, db_index=True)
    acknowledged = models.BooleanField(_("acknowledged"), default=False)
    last_error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("task attempt")
        verbose_name_plural = _("task attempts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.task_path} ×{self.attempts}"


class InboxState(models.Model):
    """When a person last opened their inbox and last got the daily digest: what is new is what came after."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_state")
    seen_at = models.DateTimeField(_("inbox last opened"), null=True, blank=True)
    digest_at = models.DateTimeField(_("last digest covered up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox state")
        verbose_name_plural = _("inbox states")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.seen_at}"


class ExportJob(models.Model):
    """A spreadsheet the worker writes for the person who asked; the file is kept for a day, for them only."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Deleted after a day")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="export_jobs")
    name = models.CharField(_("export"), max_length=80)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    # A digest of the filters, so that a double click finds the job the first click started.
    params_key = models.CharField(max_length=64)
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    file_path = models.CharField(_("file"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="export_job_person_idx"),
                   models.Index(fields=["person", "name", "params_key"], name="export_job_dedupe_idx"),
                   models.Index(fields=["status", "finished_at"], name="export_job_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"

    @property
    def unfinished(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class WorkerBeat(models.Model):
    """A running worker's heartbeat: the background jobs page tells from it whether a worker is alive."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=100, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last reported"), default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    running_task = models.CharField(_("running task"), max_length=200, blank=True)
    # Set by `jianfu run`, which restarts a worker that stopped: how often, and how the last one ended.
    restarts = models.PositiveIntegerField(_("restarts"), default=0)
    last_exit = models.CharField(_("how the previous worker ended"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class TaskLease(models.Model):
    """A worker's claim on a running task, renewed while the task runs; an expired one means the worker died."""

    result = models.OneToOneField("django_tasks_database.DBTaskResult", verbose_name=_("task"), primary_key=True,
                                  on_delete=models.CASCADE, related_name="jianfu_lease")
    claimed_by = models.CharField(_("worker"), max_length=64)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    lease_until = models.DateTimeField(_("lease ends"), db_index=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.result_id} → {self.claimed_by} until {self.lease_until:%H:%M:%S}"


class WriteBatch(models.Model):
    """One committed batch of a long write, kept until the write ends, with what it takes to undo it.

    A long write (a large import) commits in batches so that other writers get the database between them;
    its owner keeps all-or-nothing by finishing every batch or undoing the committed ones from these rows.
    """

    key = models.CharField(_("write"), max_length=100)
    seq = models.PositiveIntegerField(_("batch"))
    undo = models.JSONField(_("undo"), default=dict)
    counts = models.JSONField(_("counts"), default=dict)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("write batch")
        verbose_name_plural = _("write batches")
        ordering = ["key", "seq"]
        constraints = [models.UniqueConstraint(fields=["key", "seq"], name="write_batch_key_seq")]

    def __str__(self) -> str:
        return f"{self.key} #{self.seq}"
