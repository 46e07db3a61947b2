"""Automatic metrics and their correlation with human scores."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
import sacrebleu
from scipy import stats

from evalplatform.analysis.automatic import (
    distinct_n,
    item_metrics,
    load_minilm_embedder,
    system_metrics,
)
from evalplatform.analysis.correlation import correlate, metric_correlations
from evalplatform.protocols.registry import get

GOLD = [
    "i am so sorry to hear that .",
    "that sounds like a lot of fun !",
    "what did you do next ?",
    "congratulations , you must be proud .",
]


def _candidates() -> pd.DataFrame:
    good = [
        "i am sorry to hear that .",
        "that sounds fun !",
        "what did you do ?",
        "congratulations , be proud .",
    ]
    dull = ["i do not know .", "i do not know .", "ok .", "i do not know ."]
    rows = [
        {"item": f"d{i}", "system": "good", "response": r, "gold": g}
        for i, (r, g) in enumerate(zip(good, GOLD, strict=True))
    ]
    rows += [
        {"item": f"d{i}", "system": "dull", "response": r, "gold": g}
        for i, (r, g) in enumerate(zip(dull, GOLD, strict=True))
    ]
    return pd.DataFrame(rows)


def _bag_of_words(texts: Sequence[str]) -> np.ndarray:
    """A fake embedder: word counts over a fixed vocabulary (deterministic, instant)."""
    vocab = sorted({w for t in [*_candidates()["response"], *GOLD] for w in t.split()})
    return np.array([[t.split().count(w) for w in vocab] for t in texts], dtype=float)


def test_distinct_n_by_hand():
    toks = [["a", "b", "a"], ["a", "b"]]
    assert distinct_n(toks, 1) == 2 / 5
    assert distinct_n(toks, 2) == 2 / 3  # (a,b), (b,a), (a,b)
    assert distinct_n([[]], 2) == 0.0


def test_system_metrics_bleu_distinct_length():
    table = system_metrics(_candidates()).set_index("system")
    good = _candidates().query("system == 'good'")
    expected = sacrebleu.corpus_bleu(list(good["response"]), [list(good["gold"])], force=True)
    assert table.loc["good", "bleu"] == pytest.approx(expected.score, abs=1e-9)
    assert table.loc["dull", "distinct_1"] == pytest.approx(6 / 17)  # i do not know . / ok .
    assert table.loc["dull", "avg_length"] == pytest.approx(17 / 4)
    assert table.loc["good", "bleu"] > table.loc["dull", "bleu"]


def test_embedding_similarity_uses_the_injected_embedder():
    items = item_metrics(_candidates(), _bag_of_words)
    row = items.iloc[0]
    a, b = _bag_of_words([_candidates().response[0], GOLD[0]])
    assert row["embedding_similarity"] == pytest.approx(
        a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    )
    table = system_metrics(_candidates(), _bag_of_words, items).set_index("system")
    assert table.loc["good", "embedding_similarity"] > table.loc["dull", "embedding_similarity"]


def test_correlate_matches_scipy_and_refuses_degenerate_input():
    x, y = np.array([1.0, 2, 3, 4, 6]), np.array([2.0, 1, 4, 3, 7])
    res = correlate(x, y)
    assert res["pearson_r"] == pytest.approx(stats.pearsonr(x, y).statistic, abs=1e-12)
    assert res["spearman_p"] == pytest.approx(stats.spearmanr(x, y).pvalue, abs=1e-12)
    assert correlate(x[:2], y[:2])["pearson_r"] is None
    assert correlate(np.ones(5), y)["spearman_rho"] is None


def test_metric_correlations_at_system_and_item_level():
    cands = _candidates()
    judgments = pd.DataFrame(
        [
            {
                "item": r.item,
                "worker": w,
                "system": r.system,
                "criterion": "relevance",
                "score": (5 if r.system == "good" else 2) - (i % 2) * (w == "w2"),
            }
            for i, r in enumerate(cands.itertuples())
            for w in ("w1", "w2")
        ]
    )
    human = get("likert").item_scores(judgments)
    items = item_metrics(cands, _bag_of_words)
    out = metric_correlations(human, items, system_metrics(cands, _bag_of_words, items))
    levels = {(c["level"], c["metric"]) for c in out}
    assert ("system", "distinct_2") in levels and ("item", "embedding_similarity") in levels
    item_bleu = next(c for c in out if c["level"] == "item" and c["metric"] == "bleu")
    merged = human.merge(items, on=["item", "system"])
    assert item_bleu["n"] == 8
    assert item_bleu["pearson_r"] == pytest.approx(
        stats.pearsonr(merged["bleu"], merged["relevance"]).statistic, abs=1e-12
    )


@pytest.fixture(scope="module")
def minilm():
    return load_minilm_embedder()


def test_bundled_minilm_embeds_offline_and_ranks_paraphrases_higher(minilm):
    vectors = minilm(
        [
            "I am so sorry to hear that.",
            "That is really sad, I'm sorry.",
            "The train leaves at nine.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(3), abs=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
