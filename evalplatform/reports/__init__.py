"""Report assembly and exports on top of ``evalplatform.analysis``.

- ``build_report(judgments, protocol, settings, candidates, meta) -> Report`` (``builder``)
- ``ReportSettings`` (``config``), ``Report`` (``model``)
- exporters: ``to_json``, ``to_csv`` (``exports``), ``to_latex`` (``latex``), ``to_html``
  (``html``), ``to_pdf`` (``pdf``)
- ``read_judgments``, ``validate_judgments``, ``judgments_to_tidy_csv``, ``TidyError``
  (``tidy``): the ``analyze`` input format
- ``run_analyze`` (``cli``) behind ``manage.py analyze``

Names are imported lazily: this package is a Django app and matplotlib is slow to import.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "build_report": "builder",
    "ReportSettings": "config",
    "Report": "model",
    "to_json": "exports",
    "to_csv": "exports",
    "csv_tables": "exports",
    "to_latex": "latex",
    "to_html": "html",
    "to_pdf": "pdf",
    "read_judgments": "tidy",
    "validate_judgments": "tidy",
    "judgments_to_tidy_csv": "tidy",
    "TidyError": "tidy",
    "run_analyze": "cli",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
    return getattr(module, name)
