"""Screenshots for the README, taken from a running `make demo` (default
http://127.0.0.1:8000) in Debian's chromium: a HIT of each protocol and a report.

    .venv/bin/python scripts/readme_screenshots.py [--url URL] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalplatform.settings")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def invite_for(preset: str) -> str:
    from evalplatform.campaigns.models import Campaign
    from evalplatform.crowd.services.invites import invite_path, invites_create

    campaign = Campaign.objects.get(name=f"Demo {preset}")
    return invite_path(invites_create(campaign=campaign, count=1, label="screenshots")[0])


BUILDING = "The report is being built"


def wait_for_report(page: Any, seconds: float = 300) -> None:
    """The report is built by a Celery task (``make demo`` runs a worker) while its page
    refreshes itself: wait until it shows the report, not the page that waits for it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.wait_for_timeout(2000)
        page.wait_for_load_state()
        try:
            if BUILDING not in page.locator("h1").first.inner_text(timeout=5000):
                return
        except PlaywrightError:  # the page was reloading
            continue
    raise SystemExit(f"The report was not built in {seconds:.0f} s: is a Celery worker running?")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    from evalplatform.campaigns.models import Campaign

    args.out.mkdir(parents=True, exist_ok=True)
    password = (Path(settings.VAR_DIR) / "demo-admin-password").read_text().strip()
    pages = {"good-okay-bad": "ggb", "likert-fce": "likert", "ab-wlt": "ab"}
    invites = {preset: invite_for(preset) for preset in pages}
    report_id = Campaign.objects.get(name="Demo good-okay-bad").pk
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        for preset, name in pages.items():
            page.goto(args.url + invites[preset])
            page.get_by_role("button", name="Start").first.click()
            if name == "ggb":
                page.screenshot(path=str(args.out / "welcome.png"))
            page.goto(page.url.split("/welcome")[0] + "/item/0/")
            page.screenshot(path=str(args.out / f"{name}.png"))
        page.goto(args.url + "/admin/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.goto(f"{args.url}/admin/campaigns/campaign/{report_id}/report/")
        wait_for_report(page)
        page.screenshot(path=str(args.out / "report.png"))
        browser.close()
    print(f"Screenshots in {args.out}")


if __name__ == "__main__":
    main()
