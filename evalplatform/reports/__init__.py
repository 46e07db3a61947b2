"""Report assembly and exports (JSON, CSV, LaTeX, HTML, PDF) on top of ``evalplatform.analysis``."""
