"""HITs, items, assignments, workers and judgments: the crowd's side of a campaign.

Nothing here that a worker's browser receives may name a system or flag gold: items show
candidates by position only, and the mapping back to systems stays on the server.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from evalplatform.campaigns.models import Campaign, Candidate, Criterion, Dialogue


class Worker(models.Model):
    """A person doing HITs, as the crowd provider identifies them."""

    provider = models.CharField(max_length=20)
    external_id = models.CharField(max_length=200)
    blocked = models.BooleanField(default=False)
    blocked_reason = models.TextField(blank=True)
    simulated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], name="worker_unique_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.external_id}"


class HitStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"
    EXPIRED = "expired", "Expired"


class Hit(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="hits")
    index = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN)
    provider_hit_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "index"]
        verbose_name = "HIT"
        verbose_name_plural = "HITs"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "index"], name="hit_unique_index"),
            models.UniqueConstraint(
                fields=["campaign", "provider_hit_id"],
                condition=~Q(provider_hit_id=""),
                name="hit_unique_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} HIT {self.index}"


class Item(models.Model):
    """One dialogue shown in a HIT, with its candidates in the order shown."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="+")
    has_gold = models.BooleanField(default=False, help_text="Carries a gold bonus check.")

    class Meta:
        ordering = ["hit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["hit", "position"], name="item_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.hit} item {self.position}"


class ItemCandidate(models.Model):
    """A response shown in an item. Gold candidates show the dialogue's gold response and
    have no system candidate behind them. Filler candidates stand where a gold response
    would in the HIT's other dialogues (so that every dialogue shows as many responses):
    they show another sampled dialogue's gold response, and their answers are never
    analysed, scored or reported as a judgment of any system."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="candidates")
    position = models.PositiveIntegerField(help_text="Order shown (A/B: 0 is A, 1 is B).")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_gold = models.BooleanField(default=False)
    is_filler = models.BooleanField(default=False)
    filler_dialogue = models.ForeignKey(
        Dialogue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Filler: the dialogue whose gold response is shown.",
    )
    # The predicted label shown beside the response (binary criteria), fixed when the HIT
    # is built. A decoy label is shown on a response whose system predicts none, so that
    # its card looks like every other; answers about a decoy label are never analysed.
    shown_label = models.CharField(max_length=100, blank=True)
    label_is_decoy = models.BooleanField(default=False)

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="item_candidate_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(
                    is_gold=True,
                    is_filler=False,
                    candidate__isnull=True,
                    filler_dialogue__isnull=True,
                )
                | Q(
                    is_gold=False,
                    is_filler=True,
                    candidate__isnull=True,
                    filler_dialogue__isnull=False,
                )
                | Q(
                    is_gold=False,
                    is_filler=False,
                    candidate__isnull=False,
                    filler_dialogue__isnull=True,
                ),
                name="item_candidate_gold_filler_or_system",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} response {self.position}"

    @property
    def text(self) -> str:
        if self.is_filler and self.filler_dialogue is not None:
            return self.filler_dialogue.gold_response
        if self.candidate is None:  # the gold response (the check constraint pairs them)
            return self.item.dialogue.gold_response
        return self.candidate.text

    @property
    def analysed(self) -> bool:
        """Filler is shown for the page's sake only."""
        return not self.is_filler


class AssignmentStatus(models.TextChoices):
    LEASED = "leased", "In progress"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired (abandoned)"
    RETURNED = "returned", "Returned by the worker"


class AssignmentStage(models.TextChoices):
    """The page a worker was last on: where a reload or a second device takes them back."""

    WELCOME = "welcome", "Welcome"
    INSTRUCTIONS = "instructions", "Instructions"
    TASK = "task", "Task"
    REVIEW = "review", "Review and submit"
    DONE = "done", "Completed"


# Statuses that hold one of a HIT's slots.
ACTIVE_ASSIGNMENT_STATUSES = (
    AssignmentStatus.LEASED,
    AssignmentStatus.SUBMITTED,
    AssignmentStatus.APPROVED,
    AssignmentStatus.REJECTED,
)


class Assignment(models.Model):
    """One worker's go at one HIT."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.LEASED
    )
    leased_at = models.DateTimeField(auto_now_add=True)
    lease_expires_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    provider_assignment_id = models.CharField(max_length=200, blank=True)
    completion_code = models.CharField(max_length=100, blank=True)
    bonus_points = models.PositiveIntegerField(default=0)
    # What the provider's entry view learnt and the completion page needs, e.g.
    # {"submit": {"method": "post", "url": "https://www.mturk.com/mturk/externalSubmit",
    #  "fields": {"assignmentId": "..."}}}; crowd renders it without knowing the provider.
    provider_context = models.JSONField(default=dict, blank=True)
    simulated = models.BooleanField(default=False)
    # Where the worker is (page, and item position on task pages), so that a reload, a
    # closed tab or a second device resumes there.
    stage = models.CharField(
        max_length=12, choices=AssignmentStage.choices, default=AssignmentStage.WELCOME
    )
    position = models.PositiveIntegerField(default=0)
    # The browser window that may save answers: a nonce issued each time a worker page is
    # opened. Answers carry it, and one from an earlier window is refused, so two windows
    # on one assignment never overwrite each other silently: the later one takes over.
    session = models.CharField(max_length=32, blank=True)
    # How many dialogues (from the first) have had their page served: answers to a
    # dialogue past them are refused, so answers follow the page order the worker saw.
    items_shown = models.PositiveIntegerField(default=0)
    # One character per dialogue position, "1" once its bonus check was run: a checked
    # dialogue's answers are frozen (the answer upsert reads this column in its WHERE).
    checked_items = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["hit", "leased_at"]
        constraints = [
            # A worker never does the same HIT twice, even after abandoning it.
            models.UniqueConstraint(fields=["hit", "worker"], name="assignment_one_per_worker"),
            models.UniqueConstraint(
                fields=["provider_assignment_id"],
                condition=~Q(provider_assignment_id=""),
                name="assignment_unique_provider_id",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
        ]
        indexes = [
            # The lease-expiry task scans leased assignments by their expiry.
            models.Index(fields=["status", "lease_expires_at"], name="assignment_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.hit} / {self.worker}"


class Judgment(models.Model):
    """One answer. Likert and good/okay/bad answers are about one candidate; an A/B answer
    is about the item as a whole (candidate is null)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="judgments")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="judgments")
    item_candidate = models.ForeignKey(
        ItemCandidate, on_delete=models.CASCADE, null=True, blank=True, related_name="judgments"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="judgments")
    score = models.IntegerField(null=True, blank=True)
    label = models.CharField(max_length=10, blank=True)
    simulated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "item_candidate", "criterion"],
                condition=Q(item_candidate__isnull=False),
                name="judgment_unique_per_candidate",
            ),
            models.UniqueConstraint(
                fields=["assignment", "item", "criterion"],
                condition=Q(item_candidate__isnull=True),
                name="judgment_unique_per_item",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=False, label="") | Q(score__isnull=True) & ~Q(label=""),
                name="judgment_score_xor_label",
            ),
        ]

    def __str__(self) -> str:
        answer = self.label or self.score
        return f"{self.assignment_id}/{self.item_id}/{self.criterion_id}: {answer}"


class PageVisit(models.Model):
    """One load of a worker page, timed on the server: opened when the page is served,
    closed when the worker leaves it (a beacon) or opens the next page. Time on task and
    rushing checks read these rows, not the browser's clock."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="visits")
    page = models.CharField(max_length=12, choices=AssignmentStage.choices)
    item_position = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assignment", "opened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="page_visit_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        where = f" {self.item_position}" if self.item_position is not None else ""
        return f"{self.assignment_id} {self.page}{where}"

    @property
    def seconds(self) -> float | None:
        if self.closed_at is None:
            return None
        return (self.closed_at - self.opened_at).total_seconds()


class BonusCheckOutcome(models.TextChoices):
    CHECKED = "checked", "Checked (answers frozen)"
    UNFINISHED = "unfinished", "Refused: dialogue not finished"
    REPEATED = "repeated", "Refused: already checked"


class BonusCheckRecord(models.Model):
    """One press of "Bonus Validate": when, on which dialogue, with which answers at that
    moment, and what the server did. Checks answer every dialogue alike and reveal no
    result, so a record of presses (repeats, presses before sorting) is what shows a worker
    trying to probe for the gold response."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="bonus_checks"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=10, choices=BonusCheckOutcome.choices)
    # {"<response position>": {"<criterion>": "<value>"}} as saved when the check was pressed.
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assignment", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=BonusCheckOutcome.values), name="bonus_check_outcome_valid"
            ),
            # A dialogue is checked (and frozen) once.
            models.UniqueConstraint(
                fields=["assignment", "item"],
                condition=Q(outcome="checked"),
                name="bonus_check_once_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.item_id}: {self.outcome}"


class InviteKind(models.TextChoices):
    LINK = "link", "Invite link"
    CODE = "code", "Participant code"


class Invite(models.Model):
    """The local provider's way in: a personal link, or a code a participant types on the
    join page. An invite is one person (one Worker, made on first use), who may do up to
    the campaign's per-worker number of HITs; invites that carry the same ``external_id`` (an
    id the researcher gives, e.g. a student or panel id) share one Worker, and so one
    limit."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invites")
    code = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=4, choices=InviteKind.choices, default=InviteKind.LINK)
    label = models.CharField(max_length=200, blank=True, help_text="For the researcher only.")
    external_id = models.CharField(
        max_length=150,
        blank=True,
        help_text="The researcher's stable id for the person (e.g. a student or panel id): "
        "invites with the same id are one worker with one HIT limit.",
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, null=True, blank=True, related_name="invites"
    )
    revoked = models.BooleanField(default=False)
    # The worker made from this invite is simulated (the simulated crowd uses invites).
    simulated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    first_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InviteKind.values), name="invite_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} invite {self.label or self.pk}"


class OwedBonus(models.Model):
    """A bonus the researcher owes a local participant. The local provider moves no money:
    it records the debt once per assignment, to be settled by hand."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="owed_bonus"
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "owed bonuses"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="owed_bonus_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} owed on {self.assignment_id}"
