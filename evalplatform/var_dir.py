"""What the project keeps under ``var/`` (``EVALPLATFORM_VAR_DIR``): folders made by the
processes that write there, and the instance's secret key when none is configured.

Importing the settings touches no file: the folders are made by the entry points (manage.py,
the WSGI/ASGI apps, the Celery app once configured) and the key on its first use.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

KEY_FILE_NAME = "secret_key"


def instance_secret_key(var_dir: Path) -> str:
    """The key in ``var_dir/secret_key``, made at random on first use (mode 0600).

    The key is written to a private temporary file and linked into place, which fails if
    the file exists: two processes starting together agree on the first one's key and
    never read a half-written file."""
    path = var_dir / KEY_FILE_NAME
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=var_dir, prefix=".secret_key-")
        try:
            with os.fdopen(descriptor, "w") as key_file:  # mkstemp makes it 0600
                key_file.write(secrets.token_urlsafe(64))
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if len(key) < 50:
        raise RuntimeError(f"{path} holds no usable secret key; remove it to make a new one.")
    return key


def ensure_var_dirs() -> None:
    """The folders the configured settings write to: var/ itself (SQLite, the beat
    schedule, logs), collected static files, and the filesystem broker's folders."""
    from django.conf import settings

    folders = [Path(settings.VAR_DIR), Path(settings.STATIC_ROOT)]
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        # kombu's filesystem transport expects its folders to exist.
        names = ("data_folder_in", "processed_folder", "control_folder")
        folders += [Path(str(options[name])) for name in names]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
