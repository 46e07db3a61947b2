from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import generation, generation.types, generation.errors, generation.backends
assert "torch" not in sys.modules, "importing generation must stay cheap for Django"
import generation.tiny, generation.backends.hf_causal, generation.backends.hf_seq2seq
import generation.backends.adapter, generation.classifier, generation.synthetic
assert not [m for m in sys.modules if m == "django" or m.startswith("django.")], "no Django"
"""


def test_generation_is_cheap_to_import_and_never_imports_django():
    subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, check=True, timeout=120)
