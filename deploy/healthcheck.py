"""The web container's healthcheck: GET /healthz from gunicorn directly.

It sends a Host header the settings allow (the first of DJANGO_ALLOWED_HOSTS; a request
for 127.0.0.1 would be refused with 400), over plain http, which the settings exempt from
the https redirect for this path only. Exits 0 when the site and its database answer.

    python deploy/healthcheck.py [URL]    (default http://127.0.0.1:8000/healthz)
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/healthz"
    allowed = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")
    host = allowed[0].strip().lstrip(".")  # ".example.org" allows example.org itself
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:  # refused, timed out, or an HTTP error status
        print(f"healthcheck failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
