"""Datasets, dialogues, systems under test, campaigns and the candidates they evaluate."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from evalplatform.campaigns.adapters import validate_adapter_spec
from evalplatform.common.models import TimeStampedModel
from generation.errors import InvalidDecodingSettings
from generation.types import DecodingSettings


class Dataset(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dialogue(models.Model):
    """One context to respond to: the turns so far, and the reference (gold) next turn."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="dialogues")
    external_id = models.CharField(max_length=200)
    # [{"speaker": "...", "text": "..."}, ...] in order; the response continues after the last.
    turns = models.JSONField()
    emotion = models.CharField(max_length=100, blank=True)
    situation = models.TextField(blank=True)
    subset = models.CharField(max_length=100, blank=True, db_index=True)
    gold_response = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order within the imported file.")

    class Meta:
        ordering = ["dataset", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "external_id"], name="dialogue_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset}:{self.external_id}"


class SystemKind(models.TextChoices):
    HF_SEQ2SEQ = "hf_seq2seq", "Hugging Face seq2seq checkpoint"
    HF_CAUSAL = "hf_causal", "Hugging Face causal LM checkpoint"
    ADAPTER = "adapter", "Python adapter (module:callable)"
    IMPORTED = "imported", "Imported responses"


def validate_decoding(value: object) -> None:
    if not isinstance(value, dict):
        raise ValidationError("Decoding settings must be a JSON object.")
    try:
        DecodingSettings.from_dict(value)
    except InvalidDecodingSettings as error:
        raise ValidationError(str(error)) from error


class System(TimeStampedModel):
    """A model under test: a checkpoint (or adapter, or imported file) plus its decoding."""

    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="How the report names the system (workers never see it), e.g. bart-large.",
    )
    kind = models.CharField(
        max_length=20,
        choices=SystemKind.choices,
        help_text="Generated here from a checkpoint or an adapter, or responses produced "
        "elsewhere and imported (the system's page links to the import).",
    )
    # A checkpoint directory for the HF kinds, "package.module:callable" for adapters.
    path = models.CharField(
        max_length=500,
        blank=True,
        help_text="Hugging Face kinds: the checkpoint's directory on the generation machines "
        "(config.json and weights; nothing is downloaded). Adapter: package.module:callable, "
        "allowed by the operator. Imported: leave empty.",
    )
    decoding = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_decoding],
        help_text='A JSON object, e.g. {"num_beams": 5, "no_repeat_ngram_size": 3, '
        '"max_new_tokens": 40}. Keys: num_beams, no_repeat_ngram_size, do_sample, top_k, '
        "top_p, temperature, max_new_tokens, length_penalty, seed; {} is greedy decoding.",
    )
    description = models.TextField(blank=True, help_text="Notes for you; not shown to workers.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SystemKind.values), name="system_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="imported") | ~Q(path=""), name="system_path_required"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind != SystemKind.IMPORTED and not self.path:
            raise ValidationError({"path": "A checkpoint path or module:callable is required."})
        if self.kind == SystemKind.ADAPTER:
            validate_adapter_spec(self.path)  # the operator's allow-list

    @property
    def decoding_settings(self) -> DecodingSettings:
        return DecodingSettings.from_dict(self.decoding or {})


class Protocol(models.TextChoices):
    """The protocols a campaign can run: each value names an entry of the protocol registry
    (``evalplatform.protocols``), whose ``title`` is the label here (a test checks both).
    A new protocol adds its value here and a migration for the choices and the check."""

    LIKERT = "likert", "Likert rating"
    AB = "ab", "A/B comparison with tie"
    GGB = "ggb", "Good / okay / bad sorting"


class GoldRule(models.TextChoices):
    """When a gold response earns its bonus point."""

    # Seed 002: the gold response lies in Good or Okay (Likert: at least the middle of
    # every scale).
    ACCEPTABLE = "acceptable", "Gold in Good or Okay (seed 002)"
    # Stricter: acceptable as above, no other response of its dialogue placed higher, and at
    # least one placed lower, so that putting every response in the same bin earns nothing.
    RANKED_TOP = "ranked_top", "Gold ranked above the others"


class UnlabelledSystems(models.TextChoices):
    """What a binary criterion (emotion accuracy) does with a system that predicts no
    label for its responses."""

    # Campaign validation refuses the campaign and explains the choices.
    REFUSE = "refuse", "Refuse the campaign until every system has labels"
    # Its responses show a decoy label (another system's prediction for the same dialogue)
    # so that its cards look like every other, and those answers are not analysed.
    EXCLUDE = "exclude", "Leave those systems out of the label criterion"
    # Judge their responses against the emotion the classifier of the first labelled system
    # (campaign order) predicted for the same context: generation's classifier reads the
    # context only (generation/classifier.py), so that is the dataset classifier's label for
    # it, and these answers are analysed like any other.
    BORROW = "borrow", "Label them with another system's classifier prediction"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    GENERATING = "generating", "Generating"
    READY = "ready", "Ready"
    PUBLISHED = "published", "Published"
    COLLECTING = "collecting", "Collecting"
    CLOSED = "closed", "Closed"


class ProviderName(models.TextChoices):
    LOCAL = "local", "Local invite links"
    MTURK = "mturk", "Amazon Mechanical Turk"
    PROLIFIC = "prolific", "Prolific"


class Correction(models.TextChoices):
    HOLM = "holm", "Holm"
    BONFERRONI = "bonferroni", "Bonferroni"
    FDR_BH = "fdr_bh", "Benjamini-Hochberg"
    NONE = "none", "None"


def default_requirements() -> dict[str, object]:
    return {
        "locales": ["US", "AU", "NZ", "GB", "CA"],
        "min_approval_rate": 95,
        "min_approved_hits": 100,
    }


class Campaign(TimeStampedModel):
    name = models.CharField(
        max_length=200, unique=True, help_text="Your name for the campaign; workers never see it."
    )
    preset = models.CharField(max_length=50, blank=True)
    protocol = models.CharField(max_length=10, choices=Protocol.choices)
    status = models.CharField(
        max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # A live campaign hands out no new HITs while paused; workers mid-HIT may finish.
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text="No new HITs are handed out after this time; work in progress may be "
        "finished. Once published it can only move later.",
    )

    # What the worker reads.
    title = models.CharField(max_length=128, help_text="Shown to workers and on MTurk.")
    description = models.TextField(
        blank=True, help_text="One or two sentences a worker reads before accepting."
    )
    instructions = models.TextField(
        blank=True,
        help_text="Extra instructions, shown with the protocol's own before the warm-up.",
    )
    minutes_per_hit = models.PositiveIntegerField(
        default=10, help_text="Expected minutes per HIT: shown to workers, bounds the lease."
    )

    # What is evaluated.
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text="The imported test set the dialogues are sampled from.",
    )
    systems = models.ManyToManyField(System, through="CampaignSystem", related_name="campaigns")
    sample_size = models.PositiveIntegerField(
        default=100, validators=[MinValueValidator(1)], help_text="Dialogues to sample."
    )
    sample_subsets = models.JSONField(
        default=list, blank=True, help_text="Subsets to sample from; empty means all."
    )
    sample_seed = models.PositiveIntegerField(
        default=0, help_text="The same seed draws the same sample and HITs again."
    )

    # The shape of the work.
    items_per_hit = models.PositiveIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Dialogues per HIT, gold checks included.",
    )
    assignments_per_hit = models.PositiveIntegerField(
        default=3, validators=[MinValueValidator(1)], help_text="Raters per HIT."
    )
    gold_per_hit = models.PositiveIntegerField(default=0, help_text="Gold bonus checks per HIT.")
    gold_subset = models.CharField(
        max_length=100, blank=True, help_text="Subset that gold items are drawn from."
    )
    ab_allow_both_bad = models.BooleanField(
        default=False, help_text="A/B: offer 'both bad' apart from a tie."
    )
    gold_rule = models.CharField(
        max_length=12,
        choices=GoldRule.choices,
        default=GoldRule.ACCEPTABLE,
        help_text="When a gold response earns its bonus point.",
    )
    unlabelled_systems = models.CharField(
        max_length=8,
        choices=UnlabelledSystems.choices,
        default=UnlabelledSystems.REFUSE,
        help_text="Emotion accuracy: what to do with systems whose responses carry no "
        "predicted label.",
    )

    # Money and people.
    reward = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.40"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Paid per approved assignment, in US dollars (provider fees come on top).",
    )
    bonus = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="Paid per assignment that passes its gold checks, in US dollars.",
    )
    worker_requirements = models.JSONField(
        default=default_requirements,
        blank=True,
        help_text="MTurk and Prolific filters: locales, min_approval_rate (%), "
        "min_approved_hits. Invite links ignore them.",
    )
    max_hits_per_worker = models.PositiveIntegerField(
        default=50,
        validators=[MinValueValidator(1)],
        help_text="No worker gets more HITs of this campaign than this.",
    )
    provider = models.CharField(
        max_length=20,
        choices=ProviderName.choices,
        default=ProviderName.LOCAL,
        help_text="Where workers come from: invite links you hand out, Prolific or MTurk.",
    )
    provider_settings = models.JSONField(
        default=dict, blank=True, help_text='e.g. {"mturk_production": false}'
    )

    # Analysis.
    alpha = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.05"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("0.5"))],
        help_text="Significance level of the report's tests.",
    )
    correction = models.CharField(
        max_length=12,
        choices=Correction.choices,
        default=Correction.HOLM,
        help_text="How p-values are adjusted for testing several pairs of systems.",
    )
    quality_filter = models.JSONField(
        default=dict, blank=True, help_text="Quality-filter rules applied before scoring."
    )
    # Anytime-valid monitoring (analysis/monitoring.py): fixed at publishing, as the plan.
    smallest_difference = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=(
            "Smallest difference worth detecting, in the comparison's unit (points on the "
            "rating scale, net A/B preference from -1 to 1, good/okay/bad label score): a "
            "comparison whose confidence sequence lies inside plus or minus this is futile. "
            "Left empty, publishing takes the smallest difference of the plan made before "
            "publishing (in this unit); a value set here wins over the plan's."
        ),
    )
    monitor_stop = models.BooleanField(
        default=False,
        help_text=(
            "Stop publishing HITs once every comparison is decided (its confidence sequence "
            "excludes 0) or futile."
        ),
    )
    monitor_reallocate = models.BooleanField(
        default=False,
        help_text=(
            "Withdraw the open HITs that only serve decided or futile comparisons, so the "
            "remaining work goes to the comparisons still undecided (A/B and several systems)."
        ),
    )
    # The latest finished plan (``CampaignPlan``) as it stood when the campaign was published:
    # what the report states was planned before any answer came in. Written once, by the
    # publishing transition; no form or service changes it (``editable=False``).
    frozen_plan = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        # Spending is apart from preparing (change_campaign): the console's money actions.
        permissions = [
            ("publish_campaign", "Can publish or expire a campaign on its crowd provider"),
            ("approve_work", "Can approve or reject submitted work"),
            ("pay_bonuses", "Can pay bonuses"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(protocol__in=Protocol.values), name="campaign_protocol_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(gold_per_hit__lte=models.F("items_per_hit")),
                name="campaign_gold_within_hit",
            ),
            models.CheckConstraint(condition=Q(reward__gt=0), name="campaign_reward_positive"),
            models.CheckConstraint(condition=Q(bonus__gte=0), name="campaign_bonus_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.name


class CriterionKind(models.TextChoices):
    SCALE = "scale", "Scale (e.g. 1-5)"
    BINARY = "binary", "Binary (0/1)"
    LABEL = "label", "Good / okay / bad"
    CHOICE = "choice", "A / B / tie"


class Criterion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    name = models.SlugField(max_length=50, help_text="Short key used in exports, e.g. fluency.")
    question = models.TextField(help_text="The question shown to workers.")
    kind = models.CharField(
        max_length=10, choices=CriterionKind.choices, help_text="How workers answer it."
    )
    scale_min = models.IntegerField(default=1, help_text="Scale criteria: the lowest score.")
    scale_max = models.IntegerField(default=5, help_text="Scale criteria: the highest score.")
    # Wording for scale points, e.g. {"1": "unacceptable", "3": "moderate", "5": "excellent"}.
    anchors = models.JSONField(
        default=dict,
        blank=True,
        help_text='Words under the scale points, e.g. {"1": "unacceptable", "5": "excellent"}.',
    )
    position = models.PositiveIntegerField(default=0, help_text="Order on the task page.")

    class Meta:
        ordering = ["campaign", "position"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CriterionKind.values), name="criterion_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def allowed_values(self) -> list[str]:
        """Every legal answer, as the string the task pages post."""
        if self.kind == CriterionKind.SCALE:
            return [str(v) for v in range(self.scale_min, self.scale_max + 1)]
        if self.kind == CriterionKind.BINARY:
            return ["0", "1"]
        if self.kind == CriterionKind.LABEL:
            return ["good", "okay", "bad"]
        choices = ["a", "b", "tie"]
        return choices + (["both_bad"] if self.campaign.ab_allow_both_bad else [])


class GenerationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class CampaignSystem(models.Model):
    """A system in a campaign, with its generation progress on the campaign's sample."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="entries")
    position = models.PositiveIntegerField(default=0)
    generation_status = models.CharField(
        max_length=10, choices=GenerationStatus.choices, default=GenerationStatus.PENDING
    )
    generation_done = models.PositiveIntegerField(default=0)
    generation_total = models.PositiveIntegerField(default=0)
    generation_error = models.TextField(blank=True)
    generation_started_at = models.DateTimeField(null=True, blank=True)
    generation_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "system"], name="campaign_system_unique"),
            models.CheckConstraint(
                condition=Q(generation_done__lte=models.F("generation_total")),
                name="campaign_system_progress_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} / {self.system}"


class SampledDialogue(models.Model):
    """A dialogue drawn into a campaign's sample (seeded, so the draw is reproducible)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sample")
    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "dialogue"], name="sampled_dialogue_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "position"], name="sampled_dialogue_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.position}"


class Candidate(models.Model):
    """One system's response to one dialogue. A system is a model plus its decoding, so one
    candidate per (system, dialogue) is the whole truth and campaigns share them."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="candidates")
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="candidates")
    text = models.TextField()
    label = models.CharField(
        max_length=100,
        blank=True,
        help_text="Predicted emotion or intent, when the model gives one.",
    )
    decoding = models.JSONField(default=dict, blank=True)
    generation_seconds = models.FloatField(null=True, blank=True)
    gold_perplexity = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "dialogue"], name="candidate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.system} -> {self.dialogue}"


class MonitoringAction(models.TextChoices):
    STOP = "stop", "Stopped publishing HITs"
    REALLOCATE = "reallocate", "Withdrew HITs of settled comparisons"


class MonitoringDecision(models.Model):
    """What the monitoring did to a campaign's collection, when and why, with every
    comparison's confidence sequence at that moment: the report says from these how the
    data were collected."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="monitoring_decisions"
    )
    decided_at = models.DateTimeField()
    action = models.CharField(max_length=12, choices=MonitoringAction.choices)
    reason = models.TextField()
    comparisons = models.JSONField(default=list)
    hits_withdrawn = models.PositiveIntegerField(default=0)
    submitted_assignments = models.PositiveIntegerField(default=0)
    provider_note = models.TextField(blank=True)

    class Meta:
        ordering = ["campaign", "decided_at", "pk"]
        constraints = [
            # Stopping happens once per campaign, however many tasks race to it.
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(action="stop"),
                name="monitoring_one_stop_per_campaign",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["stop", "reallocate"]), name="monitoring_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.action} at {self.decided_at:%Y-%m-%d %H:%M}"


class PlanState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class CampaignPlan(models.Model):
    """One run of the power planner on a campaign being prepared: what was asked, how far
    the simulation got, and its result (``reports.planning.Plan.to_dict()``). The latest
    finished one is frozen onto the campaign when it is published."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="plans")
    state = models.CharField(max_length=8, choices=PlanState.choices, default=PlanState.QUEUED)
    difference = models.FloatField(help_text="Smallest difference worth detecting.")
    target = models.FloatField(default=0.8, help_text="Power the design must reach.")
    sets = models.PositiveIntegerField(default=200, help_text="Simulated data sets a design.")
    seed = models.PositiveIntegerField(default=0)
    # The pilot: an earlier campaign's judgments, or an uploaded tidy CSV kept as its text
    # (so the task, on another machine, reads what was validated here).
    pilot_campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pilot_csv = models.TextField(blank=True)
    pilot_name = models.CharField(
        max_length=200, blank=True, help_text="The uploaded file's name, or the campaign's."
    )
    done = models.PositiveIntegerField(default=0, help_text="Designs simulated so far.")
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PlanState.values), name="campaign_plan_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(difference__gt=0), name="campaign_plan_difference_positive"
            ),
            models.CheckConstraint(
                condition=Q(target__gt=0, target__lt=1), name="campaign_plan_target_within"
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")) | Q(total=0),
                name="campaign_plan_progress_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} plan #{self.pk} ({self.state})"

    @property
    def pilot_words(self) -> str:
        """Where the plan's variance components come from, in words."""
        if self.pilot_csv:
            return f"the uploaded file {self.pilot_name or 'pilot.csv'}"
        if self.pilot_name:  # kept even if that campaign is deleted later
            return f"the judgments of campaign {self.pilot_name}"
        return "the planner's documented defaults (no pilot)"
