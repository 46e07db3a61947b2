"""A/B win/loss/tie tables and good/okay/bad shares on hand-made data."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from evalplatform.analysis.ab import ab_overall_kappa, ab_pairs, ab_system_order, canonical_ab
from evalplatform.analysis.agreement import fleiss_kappa_long
from evalplatform.analysis.ggb import ggb_agreement, ggb_shares


def _ab(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["item", "worker", "system_a", "system_b", "choice"])


def test_swapped_rows_are_mirrored_into_one_orientation():
    df = _ab(
        [
            ("1", "w1", "Ours", "Base", "a"),
            ("1", "w2", "Base", "Ours", "b"),
            ("2", "w1", "Base", "Ours", "a"),
            ("2", "w2", "Ours", "Base", "tie"),
        ]
    )
    canon = canonical_ab(df, ["Ours"])
    assert list(canon["a"]) == ["Ours"] * 4
    assert list(canon["outcome"]) == ["win", "win", "loss", "tie"]


def test_hub_system_is_the_a_side_by_default():
    df = _ab(
        [
            ("1", "w", "EmpDG", "Ours", "a"),
            ("2", "w", "Ours", "MoEL", "a"),
            ("3", "w", "MIME", "Ours", "b"),
        ]
    )
    assert ab_system_order(df)[0] == "Ours"
    assert [(p["a"], p["b"]) for p in ab_pairs(df)] == [
        ("Ours", "EmpDG"),
        ("Ours", "MoEL"),
        ("Ours", "MIME"),
    ]


def test_win_loss_tie_percentages_sign_test_and_both_bad():
    rows = []
    outcomes = ["a"] * 6 + ["b"] * 2 + ["tie"] * 1 + ["both_bad"] * 1
    for i, choice in enumerate(outcomes):
        rows.append((str(i), "w1", "X", "Y", choice))
    (pair,) = ab_pairs(_ab(rows), system_order=["X"])
    assert (pair["win"], pair["loss"], pair["tie"], pair["both_bad"]) == (60.0, 20.0, 10.0, 10.0)
    assert pair["n"] == 10
    assert pair["p"] == pytest.approx(stats.binomtest(6, 8, 0.5).pvalue, abs=1e-12)
    assert pair["p_adjusted"] == pair["p"]  # a family of one


def test_kappa_per_pair_is_on_outcomes_after_mirroring():
    # Both raters prefer Ours on every item although they saw it on different sides.
    rows = []
    for i in range(6):
        rows += [(str(i), "w1", "Ours", "Base", "a"), (str(i), "w2", "Base", "Ours", "b")]
    rows += [("6", "w1", "Ours", "Base", "b"), ("6", "w2", "Base", "Ours", "a")]
    (pair,) = ab_pairs(_ab(rows), system_order=["Ours"])
    canon = canonical_ab(_ab(rows), ["Ours"])
    assert pair["fleiss_kappa"] == pytest.approx(
        fleiss_kappa_long(canon, ["item"], "outcome").kappa
    )
    assert pair["fleiss_kappa"] == pytest.approx(1.0)
    assert ab_overall_kappa(_ab(rows), ["Ours"])["kappa_items"] == 7


def _ggb() -> pd.DataFrame:
    rows = []
    labels = {"A": ["good", "good", "okay", "bad"], "B": ["bad", "bad", "okay", "good"]}
    for system, seq in labels.items():
        for i, label in enumerate(seq):
            rows.append((f"i{i}", "w1", system, label, "OS" if i < 2 else "ED", False))
    rows.append(("i0", "w1", "gold", "bad", "OS", True))
    return pd.DataFrame(rows, columns=["item", "worker", "system", "label", "subset", "is_gold"])


def test_shares_are_normalised_per_subset_and_exclude_gold():
    shares = ggb_shares(_ggb())
    assert list(shares) == ["OS", "ED"]
    assert shares["OS"]["A"] == {"good": 1.0, "okay": 0.0, "bad": 0.0, "n": 2}
    assert shares["ED"]["B"] == {"good": 0.5, "okay": 0.5, "bad": 0.0, "n": 2}
    assert "gold" not in shares["OS"]
    for block in shares.values():
        for v in block.values():
            assert v["good"] + v["okay"] + v["bad"] == pytest.approx(1.0)


def test_no_subset_column_gives_one_table_named_all():
    shares = ggb_shares(_ggb().drop(columns="subset"))
    assert list(shares) == ["all"] and shares["all"]["A"]["n"] == 4


def test_ggb_kappa_over_item_system_units():
    df = pd.concat([_ggb(), _ggb().assign(worker="w2")], ignore_index=True)
    result = ggb_agreement(df)
    assert result["fleiss_kappa"] == pytest.approx(1.0)
    assert (result["kappa_items"], result["kappa_raters"]) == (8, 2)
