#!/usr/bin/env python
"""Django's command-line utility."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalplatform.settings")
    from django.core.management import execute_from_command_line

    from evalplatform.var_dir import ensure_var_dirs

    ensure_var_dirs()  # SQLite, logs and the broker write under var/
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
