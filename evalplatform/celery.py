"""The Celery application: tasks live in each app's ``tasks.py``."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import beat_init, worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalplatform.settings")

app = Celery("evalplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def make_var_dirs(**_: object) -> None:
    """The broker's folders and var/ exist before a worker or beat reads or sends a message
    (manage.py and the WSGI app make them for the other processes)."""
    from evalplatform.var_dir import ensure_var_dirs

    ensure_var_dirs()


@worker_process_init.connect
def limit_torch_threads(**_: object) -> None:
    """One process per core is how generation scales on CPUs; torch's own thread pool on
    top of that oversubscribes the cores (on a loaded 2-core machine two threads ran
    generation several times slower than one)."""
    from django.conf import settings

    threads = settings.GENERATION_TORCH_THREADS
    if threads > 0:
        import torch

        torch.set_num_threads(threads)
