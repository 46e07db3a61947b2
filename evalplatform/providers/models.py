"""What we know about the providers' side: published HITs and studies, qualification types,
and the ledger of approvals, rejections and bonuses.

Money moves exactly once because every money call is preceded by a committed row that a
unique constraint makes single (one decision per assignment, one bonus per assignment and
rule, one token per call), and the row's state says whether the call was already sent.
Every MTurk-derived row stores the MTurk environment: sandbox and production ids differ.
Every decision and bonus row records who decided it (``Decided``), when it is made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, Hit, Worker


class MTurkEnvironment(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox"
    PRODUCTION = "production", "Production"


class QualificationPurpose(models.TextChoices):
    LIMIT = "limit", "Per-campaign HIT limit reached"
    BLOCKED = "blocked", "Blocked from all our HITs"


class MTurkQualificationType(models.Model):
    """A custom qualification type we own in one MTurk environment."""

    environment = models.CharField(max_length=10, choices=MTurkEnvironment.choices)
    purpose = models.CharField(max_length=10, choices=QualificationPurpose.choices)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    qualification_type_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "MTurk qualification type"
        constraints = [
            models.UniqueConstraint(fields=["environment", "name"], name="mturk_qual_unique_name"),
            models.UniqueConstraint(
                fields=["environment", "qualification_type_id"], name="mturk_qual_unique_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.environment})"


class MTurkHitType(models.Model):
    """A HIT type created for a campaign; its digest covers every parameter sent."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    environment = models.CharField(max_length=10, choices=MTurkEnvironment.choices)
    hit_type_id = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "MTurk HIT type"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "environment", "digest"], name="mturk_hit_type_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hit_type_id} ({self.environment})"


class ProviderHit(models.Model):
    """A HIT as published on MTurk: recorded in the same transaction as Hit.provider_hit_id."""

    hit = models.OneToOneField(Hit, on_delete=models.CASCADE, related_name="provider_record")
    provider = models.CharField(max_length=20)
    environment = models.CharField(max_length=10, choices=MTurkEnvironment.choices)
    provider_hit_id = models.CharField(max_length=64)
    hit_type_id = models.CharField(max_length=64, blank=True)
    hit_group_id = models.CharField(max_length=64, blank=True)
    request_token = models.CharField(max_length=64)
    remote_status = models.CharField(max_length=20, blank=True)
    assignments_pending = models.PositiveIntegerField(default=0)
    assignments_available = models.PositiveIntegerField(default=0)
    assignments_completed = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "provider HIT"
        verbose_name_plural = "provider HITs"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "environment", "provider_hit_id"],
                name="provider_hit_unique_remote_id",
            ),
            models.UniqueConstraint(
                fields=["provider", "environment", "request_token"],
                name="provider_hit_unique_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.environment}:{self.provider_hit_id}"


class StudyState(models.TextChoices):
    CREATING = "creating", "Creating (no id yet)"
    DRAFT = "draft", "Draft on Prolific"
    ACTIVE = "active", "Published"
    PAUSED = "paused", "Paused"
    STOPPED = "stopped", "Stopped"


class ProlificStudy(models.Model):
    """The Prolific study behind a campaign: one study, places = HITs x assignments."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="+")
    internal_name = models.CharField(max_length=200, unique=True)
    study_id = models.CharField(max_length=64, blank=True)
    completion_code = models.CharField(max_length=32)
    state = models.CharField(max_length=10, choices=StudyState.choices, default=StudyState.CREATING)
    total_places = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Prolific study"
        verbose_name_plural = "Prolific studies"
        constraints = [
            models.UniqueConstraint(
                fields=["study_id"], condition=~Q(study_id=""), name="prolific_study_unique_id"
            ),
        ]

    def __str__(self) -> str:
        return self.study_id or self.internal_name


class CallState(models.TextChoices):
    PENDING = "pending", "Recorded, not sent"
    SENT = "sent", "Done on the provider"
    FAILED = "failed", "Refused by the provider"
    UNCERTAIN = "uncertain", "Sent, outcome unknown: check by hand"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"


class Decided(models.Model):
    """Who made a money decision: the console user (kept by name if the user is deleted),
    or, with no user, the platform's task that made or found it. ``created_at`` is when:
    the row is written at the moment of decision, before the provider is called."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The user's name, or "task <name>"; empty only on rows made before it was recorded.
    decided_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True


class ReviewDecision(Decided):
    """Our approve / reject decision on one assignment; one per assignment, ever."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="review_decision"
    )
    provider = models.CharField(max_length=20)
    environment = models.CharField(max_length=10, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    rejection_category = models.CharField(max_length=30, blank=True)
    state = models.CharField(max_length=10, choices=CallState.choices, default=CallState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    auto_approved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="review_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision="approve") | ~Q(reason=""), name="review_reject_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.assignment_id} ({self.state})"


class BulkState(models.TextChoices):
    CREATED = "created", "Set up, not paid"
    PAYING = "paying", "Pay requested, outcome unknown"
    PAID = "paid", "Paid"


class ProlificBulkBonus(models.Model):
    """A Prolific bulk bonus payment. Paying is not idempotent on Prolific's side, so the row
    goes to PAYING (committed) before the pay call and is never paid again from PAYING."""

    study = models.ForeignKey(ProlificStudy, on_delete=models.PROTECT, related_name="bulks")
    bulk_id = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=10, choices=BulkState.choices, default=BulkState.CREATED)
    csv = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Prolific bulk bonus"
        verbose_name_plural = "Prolific bulk bonuses"

    def __str__(self) -> str:
        return f"{self.bulk_id} ({self.state})"


class BonusPayment(Decided):
    """One bonus to one assignment under one rule; the token goes to the provider."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="bonuses")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    provider = models.CharField(max_length=20)
    environment = models.CharField(max_length=10, blank=True)
    rule = models.CharField(max_length=50)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    reason = models.TextField()
    token = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=10, choices=CallState.choices, default=CallState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    bulk = models.ForeignKey(
        ProlificBulkBonus, on_delete=models.PROTECT, null=True, blank=True, related_name="bonuses"
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "rule"], name="bonus_once_per_rule"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bonus_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"bonus {self.amount} to {self.assignment_id} ({self.state})"


class QualificationGrant(models.Model):
    """We associated one of our qualification types with a worker (exclusion or block)."""

    qualification = models.ForeignKey(
        MTurkQualificationType, on_delete=models.PROTECT, related_name="grants"
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    environment = models.CharField(max_length=10, choices=MTurkEnvironment.choices)
    reason = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=CallState.choices, default=CallState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    granted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["qualification", "worker"], name="qualification_grant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qualification} -> {self.worker} ({self.state})"
