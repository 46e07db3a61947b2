"""Statistics for human-evaluation judgments: pure, deterministic functions on DataFrames.

No ORM, no global state, no clock. Module map:
- ``columns``: tidy column names and vocabularies (likert / ab / ggb)
- ``descriptive``: means, SDs, t and Wilson intervals per system and criterion
- ``agreement``: Fleiss' kappa (modal rater count), Krippendorff's alpha, Landis & Koch
- ``significance``: Welch's t-test, Hedges' g, sign test, Holm / Bonferroni / BH
- ``likert``, ``ab``, ``ggb``: the three protocols' result trees (their registry entries in
  ``evalplatform.protocols`` call them)
- ``quality``, ``worker_stats``: the seed 002 filter and per-worker statistics
- ``bradley_terry``: strengths from A/B or good/okay/bad, item-bootstrap intervals
- ``automatic``, ``correlation``: BLEU, Distinct, length, embedding similarity; their
  correlation with human scores
- ``simulate``: simulated judgments (flagged ``simulated``) for tests and benchmarks

Import names from their modules: the package itself imports nothing, because it is a
Django app loaded at every start-up and scipy / statsmodels / sacrebleu take a second to
import.
"""
