"""Statistics for human-evaluation judgments: pure, deterministic functions on DataFrames."""
