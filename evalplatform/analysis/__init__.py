"""Statistics for human-evaluation judgments: pure, deterministic functions on DataFrames.

No ORM, no global state, no clock. Module map:
- ``columns``: tidy column names and vocabularies (likert / ab / ggb)
- ``descriptive``: means, SDs, t and Wilson intervals per system and criterion
- ``agreement``: Fleiss' kappa (modal rater count), Krippendorff's alpha, Landis & Koch
- ``significance``: Welch's t-test, Hedges' g, sign test, Holm / Bonferroni / BH
- ``likert``, ``ab``, ``ggb``: the three protocols' result trees
- ``quality``, ``worker_stats``: the seed 002 filter and per-worker statistics
- ``bradley_terry``: strengths from A/B or good/okay/bad, item-bootstrap intervals
- ``automatic``, ``correlation``: BLEU, Distinct, length, embedding similarity; their
  correlation with human scores
- ``simulate``: simulated judgments (flagged ``simulated``) for tests and benchmarks

Names are imported lazily (this package is a Django app, loaded at every start-up, and
scipy / statsmodels / sacrebleu take a second to import).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "analyze_likert": "likert",
    "ab_pairs": "ab",
    "canonical_ab": "ab",
    "ggb_shares": "ggb",
    "ggb_agreement": "ggb",
    "likert_summary": "descriptive",
    "infer_binary_criteria": "descriptive",
    "fleiss_kappa_long": "agreement",
    "krippendorff_alpha_long": "agreement",
    "landis_koch": "agreement",
    "welch_test": "significance",
    "sign_test": "significance",
    "adjust_pvalues": "significance",
    "apply_quality_filter": "quality",
    "DEFAULT_QUALITY": "quality",
    "bradley_terry": "bradley_terry",
    "comparisons_from_ab": "bradley_terry",
    "comparisons_from_ggb": "bradley_terry",
    "system_metrics": "automatic",
    "item_metrics": "automatic",
    "load_minilm_embedder": "automatic",
    "metric_correlations": "correlation",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
    return getattr(module, name)
