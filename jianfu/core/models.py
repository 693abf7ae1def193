"""The worker's schedule table and the record of tasks that failed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
