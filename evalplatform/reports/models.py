"""A campaign's report as last built by the report task, kept until new judgments arrive.

The admin's report page serves the kept report when its fingerprint (the analysed
judgments' count, largest id and latest change, and the analysis settings) still matches
the campaign's; otherwise it asks the task for a new one and says so. Building a large
report takes longer than a web request may."""

from __future__ import annotations

from django.db import models

from evalplatform.campaigns.models import Campaign


class KeptReportState(models.TextChoices):
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class KeptReport(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(
        max_length=200, help_text="What the report was (or is being) built from."
    )
    state = models.CharField(max_length=10, choices=KeptReportState.choices)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    html = models.TextField(blank=True)
    # The built Report, pickled, for the downloads (JSON, CSV, LaTeX, PDF): rendered from it
    # without reading the judgments again. Written only by the report task.
    report = models.BinaryField(blank=True, default=b"")
    judgments = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField()
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.state} ({self.fingerprint})"


class MonitoringLook(models.Model):
    """Where the monitoring task stands on a campaign, so that many submissions at once cost
    a few looks, not one each: a look reads the whole campaign, so one look covers every
    submission committed before it began (``fingerprint``), and a task arriving while a look
    runs sets ``again`` for one more look instead of running its own. Skipping looks keeps
    a confidence sequence valid: it is valid at any stopping time."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(
        max_length=200, blank=True, help_text="The analysed judgments the last look began on."
    )
    running_since = models.DateTimeField(null=True, blank=True)
    again = models.BooleanField(
        default=False, help_text="New judgments arrived while a look ran: look once more."
    )
    looks = models.PositiveIntegerField(default=0, help_text="Looks run so far.")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.looks} looks"
