"""Importers for dialogue datasets and for responses produced elsewhere.

Each importer parses the whole file first, collecting rows as plain data and stopping at the
first bad line with an error that names it; only a fully valid file is written, inside one
transaction. So a malformed file stores nothing.
"""

from evalplatform.campaigns.importers.dialogues import (
    DIALOGUE_FORMATS,
    import_dialogues,
)
from evalplatform.campaigns.importers.responses import import_responses

__all__ = ["DIALOGUE_FORMATS", "import_dialogues", "import_responses"]
