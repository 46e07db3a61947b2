"""``manage.py analyze FILE.csv --protocol likert|ab|ggb``: a report with no campaign behind it.

Malformed input ends with exit status 2 and a message naming the line (header = line 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.analysis.significance import CORRECTIONS
from evalplatform.protocols.registry import all_protocols, names
from evalplatform.reports.cli import AnalyzeError, run_analyze
from evalplatform.reports.exports import FORMATS
from evalplatform.reports.latex import styles
from evalplatform.reports.tables import TABLES


class Command(BaseCommand):
    help = "Analyze a tidy judgments CSV file and print or write the report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tidy judgments CSV (see DESIGN.md for the columns)")
        parser.add_argument("--protocol", required=True, choices=names())
        parser.add_argument("--format", default="json", choices=FORMATS, dest="fmt")
        parser.add_argument("--out", help="write here instead of standard output")
        parser.add_argument("--alpha", type=float, help="significance level (default 0.05)")
        parser.add_argument(
            "--correction",
            choices=CORRECTIONS,
            help="multiple-comparison correction (default holm)",
        )
        parser.add_argument(
            "--binary-criteria", help="comma-separated 0/1 criteria (default: criteria that use 0)"
        )
        parser.add_argument(
            "--no-quality-filter", action="store_true", help="skip the seed 002 quality filter"
        )
        parser.add_argument("--analysis-settings", help="JSON file of report settings")
        parser.add_argument(
            "--candidates", help="CSV of item,system,response,gold for automatic metrics"
        )
        parser.add_argument(
            "--embeddings",
            action="store_true",
            help="add embedding similarity (loads the bundled MiniLM model)",
        )
        parser.add_argument(
            "--latex-style",
            choices=[*styles(), *sorted({a for p in all_protocols() for a in p.latex_aliases})],
        )
        parser.add_argument("--csv-table", default="summary", choices=list(TABLES))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fmt"] == "pdf" and not options["out"]:
            raise CommandError("--format pdf needs --out PATH", returncode=2)
        binary = options["binary_criteria"]
        try:
            output = run_analyze(
                options["file"],
                options["protocol"],
                options["fmt"],
                alpha=options["alpha"],
                correction=options["correction"],
                binary_criteria=[c.strip() for c in binary.split(",")] if binary else None,
                quality=not options["no_quality_filter"],
                settings_file=options["analysis_settings"],
                candidates=options["candidates"],
                embeddings=options["embeddings"],
                latex_style=options["latex_style"],
                csv_table=options["csv_table"],
            )
        except AnalyzeError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self._write(output, options["out"])

    def _write(self, output: str | bytes, out: str | None) -> None:
        if out:
            try:
                data = output if isinstance(output, bytes) else output.encode("utf-8")
                Path(out).write_bytes(data)
            except OSError as exc:
                raise CommandError(f"cannot write {out}: {exc}", returncode=2) from exc
            self.stderr.write(f"Wrote {out}")
        else:
            self.stdout.write(str(output), ending="")
