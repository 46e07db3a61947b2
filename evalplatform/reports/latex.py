"""LaTeX tables in the seed papers' forms (booktabs; needs ``\\usepackage{booktabs}``).

Styles (aliases by seed in brackets):
- ``means`` [seed000; Likert of seeds 003/004]: one row per system, one column per criterion,
  means to 2 decimals, binary criteria as percentages (seed 000's EmoAcc column);
- ``means-auto`` [seed001]: automatic metrics (BLEU, dist-1/2 x100, average length) next
  to the human means, under "Auto Eval" / "Manual Eval" headers;
- ``ggb`` [seed002]: Good / Okay / Bad shares per test set, ``.3097`` style;
- ``wlt`` [seed003]: "A vs B" rows with Win % / Loss % / Tie %, kappa in the caption;
- ``wlt-kappa`` [seed004]: the same with a kappa column per pair ("A vs" header when all
  pairs share their "a" system).
The best value of each column is bold; a dagger marks a best value that is significantly
better than every other system's after correction (the caption says which test).
"""

from __future__ import annotations

from typing import Any

from evalplatform.reports.latex_means import means_table
from evalplatform.reports.latex_util import correction_words, escape, kappa_text, table
from evalplatform.reports.model import Report

STYLES = ("means", "means-auto", "ggb", "wlt", "wlt-kappa")
_DEFAULT = {"likert": "means", "ab": "wlt-kappa", "ggb": "ggb"}
_ALIASES = {"seed000": "means", "seed001": "means-auto", "seed002": "ggb"}
_PROTOCOL_OF = {
    "means": "likert",
    "means-auto": "likert",
    "ggb": "ggb",
    "wlt": "ab",
    "wlt-kappa": "ab",
}


def resolve_style(report: Report, style: str | None) -> str:
    if style is None:
        return _DEFAULT[report.protocol]
    if style in ("seed003", "seed004"):
        if report.protocol == "likert":
            return "means"
        return "wlt" if style == "seed003" else "wlt-kappa"
    style = _ALIASES.get(style, style)
    if style not in STYLES:
        raise ValueError(f"unknown LaTeX style {style!r}; choose from {', '.join(STYLES)}")
    if _PROTOCOL_OF[style] != report.protocol:
        raise ValueError(
            f"style {style!r} is for {_PROTOCOL_OF[style]} reports, not {report.protocol}"
        )
    return style


def to_latex(report: Report, style: str | None = None) -> str:
    """The paper table for this report, as a complete ``table`` environment."""
    style = resolve_style(report, style)
    if style in ("means", "means-auto"):
        return means_table(report, with_auto=style == "means-auto")
    if style == "ggb":
        return _ggb_table(report)
    return _wlt_table(report, with_kappa=style == "wlt-kappa")


def _share(value: float) -> str:
    """Seed 002 prints shares as .3097: four decimals, no leading zero."""
    text = f"{value:.4f}"
    return text.removeprefix("0")


def _ggb_table(report: Report) -> str:
    subsets = report.results.get("subsets", {})
    systems = list(dict.fromkeys(s for block in subsets.values() for s in block))
    labels = ("good", "okay", "bad")
    head1 = " & ".join(f"\\multicolumn{{3}}{{c}}{{{escape(s)}}}" for s in subsets)
    rules = "".join(f"\\cmidrule(lr){{{2 + 3 * i}-{4 + 3 * i}}}" for i in range(len(subsets)))
    head2 = " & ".join("Good & Okay & Bad" for _ in subsets)
    best = {
        (sub, lab): max((b[lab] for b in block.values()), default=None)
        for sub, block in subsets.items()
        for lab in ("good",)
    }
    rows = []
    for system in systems:
        cells = [escape(report.system_label(system))]
        for sub, block in subsets.items():
            v = block.get(system)
            for lab in labels:
                text = _share(v[lab]) if v else "--"
                if v and lab == "good" and v[lab] == best[(sub, lab)]:
                    text = f"\\textbf{{{text}}}"
                if v and lab == "good" and _ggb_beats_all(report, sub, system):
                    text += "$^\\dagger$"
                cells.append(text)
        rows.append(" & ".join(cells) + r" \\")
    header = [f"Model & {head1} \\\\", rules, f" & {head2} \\\\"]
    caption = (
        "Human evaluation results on each test set. Numbers are normalised across the "
        "three quality categories on each test set; the best Good share is bold. "
        + kappa_text(report)
        + ". "
        + _ggb_dagger_text(report)
    )
    return table("l" + "ccc" * len(subsets), header, rows, caption, report)


def _ggb_beats_all(report: Report, subset: str, system: str) -> bool:
    """Significantly better than every other system on the test set (the default test)."""
    block = (report.results.get("calibrated") or {}).get("subsets", {}).get(subset)
    tests = [t for t in (block or {}).get("pairs", []) if system in (t["a"], t["b"])]
    return bool(tests) and all(
        t["significant"] and (t["difference"] > 0) == (t["a"] == system) for t in tests
    )


def _ggb_dagger_text(report: Report) -> str:
    corr = correction_words(report.settings, " within each test set")
    return (
        "$^\\dagger$: significantly better than every other system on the test set (paired "
        "$t$-test over dialogues on the label scores bad 0, okay 1, good 2, worker bias "
        f"removed; {corr}, $\\alpha = {report.settings['alpha']:g}$)."
    )


def _wlt_table(report: Report, with_kappa: bool) -> str:
    pairs = report.results.get("pairs", [])
    shared_a = len({p["a"] for p in pairs}) == 1 and with_kappa
    if shared_a:
        first = f"{escape(report.system_label(pairs[0]['a']))} vs"
        heads = ["Win(\\%)", "Loss(\\%)", "Tie(\\%)"]
    else:
        first = "Method"
        heads = ["Win \\%", "Loss \\%", "Tie \\%"]
    has_both_bad = any("both_bad" in p for p in pairs)
    heads += ["Both bad \\%"] if has_both_bad else []
    heads += ["$\\kappa$"] if with_kappa else []
    rows = [_wlt_row(report, p, shared_a, has_both_bad, with_kappa) for p in pairs]
    caption = "Results of the A/B test, from the first system's side. "
    if not with_kappa:
        caption += kappa_text(report) + ". "
    caption += _sign_test_text(report)
    return table(
        "l" + "c" * len(heads), [" & ".join([first, *heads]) + r" \\"], rows, caption, report
    )


def _wlt_row(
    report: Report, p: dict[str, Any], shared_a: bool, both_bad: bool, with_kappa: bool
) -> str:
    name = (
        escape(report.system_label(p["b"]))
        if shared_a
        else (f"{escape(report.system_label(p['a']))} vs {escape(report.system_label(p['b']))}")
    )
    # The dagger goes on the larger of win and loss: the side the sign test favours.
    mark = "$^\\dagger$" if p.get("calibrated", p)["significant"] else ""  # the default test
    win = f"{p['win']:.2f}" + (mark if p["win"] >= p["loss"] else "")
    loss = f"{p['loss']:.2f}" + (mark if p["win"] < p["loss"] else "")
    cells = [name, win, loss, f"{p['tie']:.2f}"]
    if both_bad:
        cells.append(f"{p.get('both_bad', 0.0):.2f}")
    if with_kappa:
        k = p.get("fleiss_kappa")
        cells.append("--" if k is None else f"{k:.2f}")
    return " & ".join(cells) + r" \\"


def _sign_test_text(report: Report) -> str:
    s = report.settings
    corr = correction_words(s, " across pairs")
    return (
        "$^\\dagger$: wins and losses differ by a $t$-test over items of the per-item mean "
        "preference (one vote per item; the exact sign test over items where it is undefined; "
        f"{corr}, $\\alpha = {s['alpha']:g}$)."
    )
