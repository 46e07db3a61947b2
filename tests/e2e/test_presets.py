"""Each preset end to end: campaign from the preset, generation through a real Celery worker,
HITs on the local crowd, a simulated crowd answering over HTTP, the quality filter, and the
report, whose numbers are checked against an independent computation from the exported
judgments (pandas, scipy and statsmodels called here, not through the platform).

CI runs this on PostgreSQL and Redis; a developer's `make test` on SQLite and the
filesystem broker.
"""

from __future__ import annotations

import io
import json
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from scipy import stats
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.services import campaign_create_from_preset
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.crowd.services import campaign_publish_hits
from evalplatform.crowd.simulation.run import simulate_campaign
from tests.conftest import wait_until
from tests.e2e.conftest import SYSTEMS

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

SHAPES = {
    "likert-fce": ({"sample_size": 30, "items_per_hit": 5}, SYSTEMS),
    "likert-efir": ({"sample_size": 20, "items_per_hit": 5}, SYSTEMS[:1]),
    "good-okay-bad": ({"sample_size": 120, "items_per_hit": 10}, SYSTEMS),
    "likert-fre": ({"sample_size": 20, "items_per_hit": 5}, SYSTEMS),
    "ab-wlt": ({"sample_size": 20, "items_per_hit": 10}, SYSTEMS),
    "likert-erf": ({"sample_size": 20, "items_per_hit": 5}, SYSTEMS[:2]),
}
WORKERS, SPAMMERS = 14, 2


def run_preset(preset: str, dataset, systems) -> Campaign:
    overrides, names = SHAPES[preset]
    chosen = [s for s in systems if s.name in names]
    campaign = campaign_create_from_preset(
        preset_key=preset,
        name=f"e2e {preset}",
        dataset=dataset,
        systems=chosen,
        overrides=overrides,
    )
    campaign_start_generation(campaign=campaign)
    wait_until(lambda: Campaign.objects.get(pk=campaign.pk).status == "ready", what="generation")
    campaign.refresh_from_db()
    campaign_publish_hits(campaign=campaign)
    simulate_campaign(campaign=campaign, workers=WORKERS, spammers=SPAMMERS, seed=11)
    return campaign


def exported(campaign: Campaign) -> tuple[pd.DataFrame, dict]:
    """The campaign's tidy judgments and its JSON report, through the management command."""
    judgments, report = io.StringIO(), io.StringIO()
    call_command("report", campaign.name, fmt="judgments", stdout=judgments)
    call_command("report", campaign.name, fmt="json", stdout=report)
    return pd.read_csv(io.StringIO(judgments.getvalue())), json.loads(report.getvalue())


@pytest.mark.parametrize("preset", ["likert-fce", "likert-efir", "likert-fre", "likert-erf"])
def test_likert_preset_end_to_end(preset, demo_dataset, adapter_systems, celery_worker_thread):
    campaign = run_preset(preset, demo_dataset, adapter_systems)
    everything, report = exported(campaign)
    assert everything["simulated"].all()
    # The quality filter's straight-lining rule, computed here: a worker whose most common
    # answer is >= 95 % of at least 10 answers is excluded. It finds the straight-liner.
    excluded = straightliners(everything, "score")
    assert _spammer_ids(campaign)[0] in excluded
    excluded |= _rushers_excluded(report, campaign)
    assert excluded == _reported_exclusions(report)
    frame = everything[~everything["worker"].isin(excluded)]
    criteria = list(campaign.criteria.values_list("name", "kind"))
    assert set(report["criteria"]) == {name for name, _ in criteria}
    for name, _kind in criteria:
        rows = frame[frame["criterion"] == name]
        block = report["criteria"][name]
        for system, scores in rows.groupby("system")["score"]:
            got = block["systems"][system]
            assert got["n"] == len(scores)
            # A binary criterion's mean is the share of 1s (the paper's EmoAcc %/100).
            assert got["mean"] == pytest.approx(scores.mean(), abs=1e-9)
            assert got["sd"] == pytest.approx(scores.std(ddof=1), abs=1e-9)
        for pair in block["pairwise"]:
            a = rows.loc[rows["system"] == pair["a"], "score"]
            b = rows.loc[rows["system"] == pair["b"], "score"]
            welch = stats.ttest_ind(a, b, equal_var=False)
            assert pair["t"] == pytest.approx(welch.statistic, abs=1e-9)
            assert pair["p"] == pytest.approx(welch.pvalue, abs=1e-9)
        assert block["fleiss_kappa"] == pytest.approx(_likert_kappa(rows), abs=1e-9)
    if len(SHAPES[preset][1]) > 1:
        # The planted order shows in every scale criterion's means.
        for name, kind in criteria:
            if kind == "scale":
                means = report["criteria"][name]["systems"]
                assert means["warm"]["mean"] > means[SHAPES[preset][1][-1]]["mean"]


def straightliners(frame: pd.DataFrame, column: str) -> set[str]:
    """Workers whose most common answer, counted within each criterion, makes up at least
    95 % of at least 10 answers."""
    found = set()
    for worker, rows in frame.groupby("worker"):
        top = sum(
            answers.value_counts().iloc[0] for _, answers in rows.groupby("criterion")[column]
        )
        if len(rows) >= 10 and top / len(rows) >= 0.95:
            found.add(worker)
    return found


def _rushers_excluded(report: dict, campaign: Campaign) -> set[str]:
    """Workers the report excludes for rushing: without gold checks only the simulator's
    rusher (random answers at 4 s per item, far faster than the others' 35-70 s)."""
    workers = pd.DataFrame(report["workers"])
    rushed = set(workers.loc[workers["excluded"].str.startswith("rushing"), "worker"])
    assert rushed <= set(_spammer_ids(campaign)[1:])
    return rushed


def _reported_exclusions(report: dict) -> set[str]:
    workers = pd.DataFrame(report["workers"])
    return set(workers.loc[workers["excluded"] != "", "worker"])


def _likert_kappa(rows: pd.DataFrame) -> float:
    """Fleiss' kappa over the (item, system) units rated by the modal number of raters."""
    ratings = rows.groupby(["item", "system"])["score"].apply(list)
    modal = ratings.map(len).mode().max()
    table = np.array([r for r in ratings if len(r) == modal])
    counts, _ = aggregate_raters(table)
    return fleiss_kappa(counts, method="fleiss")


def test_good_okay_bad_preset_end_to_end(demo_dataset, adapter_systems, celery_worker_thread):
    campaign = run_preset("good-okay-bad", demo_dataset, adapter_systems)
    frame, report = exported(campaign)
    excluded = _reported_exclusions(report)
    spammers = set(frame.loc[frame["worker"].isin(_spammer_ids(campaign)), "worker"])
    honest = set(frame["worker"]) - spammers
    # Seed 002's filter removes the planted spammers and at most 5 % of honest workers.
    assert spammers <= excluded
    assert len(excluded & honest) <= 0.05 * len(honest)
    # Independent computation: drop the excluded workers, then assignments with fewer than
    # two gold bonus points (gold in Good or Okay), then share labels per subset and system.
    kept = frame[~frame["worker"].isin(excluded)]
    gold = kept[kept["is_gold"]]
    points = (
        gold.assign(point=gold["label"].isin(["good", "okay"])).groupby("assignment")["point"].sum()
    )
    kept = kept[~kept["assignment"].isin(points.index[points < 2])]
    scored = kept[~kept["is_gold"]]
    for (subset, system), labels in scored.groupby(["subset", "system"])["label"]:
        shares = labels.value_counts(normalize=True)
        got = report["subsets"][subset][system]
        assert got["n"] == len(labels)
        for label in ("good", "okay", "bad"):
            assert got[label] == pytest.approx(shares.get(label, 0.0), abs=1e-9)
    overall = scored.groupby("system")["label"].apply(lambda s: (s == "good").mean())
    assert overall["warm"] > overall["plain"] > overall["curt"]  # the planted ranking


def _spammer_ids(campaign: Campaign) -> list[str]:
    from evalplatform.crowd.models import Invite
    from evalplatform.reports.selectors import worker_pseudonym

    # The simulator makes its first SPAMMERS invites the spammers' (labels "simulated 1..").
    invites = Invite.objects.filter(campaign=campaign, simulated=True).order_by("pk")
    return [worker_pseudonym(i.worker_id) for i in invites[:SPAMMERS] if i.worker_id]


def test_ab_preset_end_to_end(demo_dataset, adapter_systems, celery_worker_thread):
    campaign = run_preset("ab-wlt", demo_dataset, adapter_systems)
    everything, report = exported(campaign)
    excluded = straightliners(everything, "choice") | _rushers_excluded(report, campaign)
    assert excluded == _reported_exclusions(report)
    frame = everything[~everything["worker"].isin(excluded)]
    # Every system pair saw its own distinct set of contexts.
    contexts = frame.groupby(["system_a", "system_b"])["item"].apply(set)
    canonical: dict[frozenset, set] = {}
    for (a, b), items in contexts.items():
        canonical.setdefault(frozenset((a, b)), set()).update(items)
    for first, second in combinations(canonical.values(), 2):
        assert not first & second
    spammers = _spammer_ids(campaign)
    for pair in report["pairs"]:
        a, b = pair["a"], pair["b"]
        rows = frame[
            ((frame["system_a"] == a) & (frame["system_b"] == b))
            | ((frame["system_a"] == b) & (frame["system_b"] == a))
        ]
        wins = ((rows["system_a"] == a) & (rows["choice"] == "a")) | (
            (rows["system_b"] == a) & (rows["choice"] == "b")
        )
        losses = ((rows["system_a"] == b) & (rows["choice"] == "a")) | (
            (rows["system_b"] == b) & (rows["choice"] == "b")
        )
        ties = rows["choice"] == "tie"
        assert pair["n"] == len(rows)
        assert pair["win"] == pytest.approx(100 * wins.mean(), abs=1e-9)
        assert pair["loss"] == pytest.approx(100 * losses.mean(), abs=1e-9)
        assert pair["tie"] == pytest.approx(100 * ties.mean(), abs=1e-9)
        sign = stats.binomtest(int(wins.sum()), int(wins.sum() + losses.sum()), 0.5)
        assert pair["p"] == pytest.approx(sign.pvalue, abs=1e-9)
        # The planted ranking: the better system of each pair wins more than it loses,
        # among honest workers.
        honest = ~rows["worker"].isin(spammers)
        better = a if SYSTEMS.index(a) < SYSTEMS.index(b) else b
        better_wins = wins[honest].sum() if better == a else losses[honest].sum()
        better_losses = losses[honest].sum() if better == a else wins[honest].sum()
        assert better_wins > better_losses
