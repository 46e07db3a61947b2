"""Reading and validating tidy judgment files: every error names its line."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from evalplatform.reports.tidy import (
    TidyError,
    judgments_to_tidy_csv,
    read_judgments,
    validate_judgments,
)
from tests.analysis.simulated import simulate_ggb

LIKERT = "item,worker,system,criterion,score\n"


def _error(text: str, protocol: str = "likert") -> TidyError:
    with pytest.raises(TidyError) as info:
        read_judgments(io.StringIO(text), protocol)
    return info.value


@pytest.mark.parametrize(
    ("text", "protocol", "line", "words"),
    [
        (LIKERT + "1,w1,A,flu,4\n1,w2,A,flu,7\n", "likert", 3, "outside the 1-5 scale"),
        (LIKERT + "1,w1,A,flu,4\n\n1,w2,A,flu,x\n", "likert", 4, "'x' is not an integer"),
        (LIKERT + "1,w1,A,flu,4.5\n", "likert", 2, "not an integer"),
        # A 0 among 1-5 scores is off the scale: the 0 is blamed, not the 3.
        (LIKERT + "1,w,A,emo,0\n1,v,A,emo,1\n2,w,A,emo,3\n", "likert", 2, "outside the 1-5"),
        (LIKERT + "1,w,A,emo,4\n1,v,A,emo,5\n2,w,A,emo,0\n", "likert", 4, "outside the 1-5"),
        (LIKERT + "1,w,A,flu,3,3\n", "likert", 2, "expected 5 fields, found 6"),
        (LIKERT + "1,w,A,flu\n", "likert", 2, "expected 5 fields, found 4"),
        (LIKERT + "1,w,A,flu,3\n1,,A,flu,3\n", "likert", 3, "empty value in column 'worker'"),
        (LIKERT + "1,w,A,flu,3\n2,w,A,flu,3\n1,w,A,flu,4\n", "likert", 4, "as line 2"),
        ("item,worker,system,label\n1,w,A,good\n2,w,A,great\n", "ggb", 3, "'great'"),
        ("item,worker,system_a,system_b,choice\n1,w,A,B,a\n1,v,B,A,c\n", "ab", 3, "'c'"),
        ("item,worker,system_a,system_b,choice\n1,w,A,A,a\n", "ab", 2, "same system"),
        ("item,worker,system_a,system_b,choice\n1,w,A,B,a\n1,w,B,A,b\n", "ab", 3, "duplicate"),
        ("item,worker,system,label,is_gold\n1,w,A,good,maybe\n", "ggb", 2, "not a boolean"),
        ("item,worker,system,label,seconds\n1,w,A,good,-3\n", "ggb", 2, "non-negative"),
        ("item,worker,system,score\n1,w,A,3\n", "likert", 1, "missing column(s) criterion"),
    ],
)
def test_malformed_rows_name_their_line(text, protocol, line, words):
    error = _error(text, protocol)
    assert error.line == line
    assert str(error).startswith(f"line {line}: ")
    assert words in str(error)


def test_quoted_newlines_count_as_physical_lines():
    error = _error(LIKERT + '1,w,A,flu,3\n2,w,"A\nB",flu,3\n3,w,A,flu,9\n')
    assert error.line == 5


@pytest.mark.parametrize(
    ("text", "words"), [("", "empty"), ("   \n", "empty"), (LIKERT, "no data rows")]
)
def test_empty_inputs(text, words):
    error = _error(text)
    assert words in str(error) and error.line is None


def test_unreadable_files(tmp_path):
    with pytest.raises(TidyError, match="cannot read"):
        read_judgments(tmp_path / "missing.csv", "likert")
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"item,worker,system,label\n1,w,A,good\n2,w,A,\xe9\n")
    with pytest.raises(TidyError, match="line 3: not UTF-8"):
        read_judgments(path, "ggb")


def test_values_are_normalised():
    text = "item,worker,system,label,is_gold,seconds,extra\n1, w ,A, Good ,yes,12.5,x\n"
    df = read_judgments(io.StringIO(text), "ggb")
    assert list(df.columns) == ["item", "worker", "system", "label", "is_gold", "seconds"]
    row = df.iloc[0]
    assert (row.worker, row.label, row.is_gold, row.seconds) == ("w", "good", True, 12.5)


def test_blank_subset_column_means_one_table_but_a_partial_one_is_an_error():
    df = read_judgments(io.StringIO("item,worker,system,label,subset\n1,w,A,good,\n"), "ggb")
    assert "subset" not in df.columns
    text = "item,worker,system,label,subset\n1,w,A,good,OS\n2,w,A,good,\n"
    assert _error(text, "ggb").line == 3


def test_selector_frames_with_numeric_ids_and_categories_validate():
    df = pd.DataFrame(
        {
            "item": [1, 2],
            "worker": [7, 7],
            "system": pd.Categorical(["x", "y"]),
            "label": pd.Categorical(["Good", "bad"]),
        }
    )
    out = validate_judgments(df, "ggb")
    assert out["item"].tolist() == [1, 2] and out["label"].tolist() == ["good", "bad"]
    with pytest.raises(TidyError, match="line 3: label 'meh'"):
        validate_judgments(df.assign(label=["good", "meh"]), "ggb")


def test_tidy_csv_round_trip_keeps_optional_columns():
    df = simulate_ggb(
        {"A": (0.4, 0.3, 0.3), "B": (0.3, 0.3, 0.4)}, items_per_subset=20, workers=12, seed=2
    )
    text = judgments_to_tidy_csv(df)
    assert text.splitlines()[0] == (
        "item,worker,system,label,subset,is_gold,assignment,seconds,simulated"
    )
    back = read_judgments(io.StringIO(text), "ggb")
    assert len(back) == len(df)
    assert back["simulated"].all() and back["is_gold"].sum() == df["is_gold"].sum()
    assert back["seconds"].tolist() == df["seconds"].tolist()
