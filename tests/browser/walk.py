"""A walk through the console in real Chromium: the page, and a numbered screenshot per step."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ConsoleWalk:
    """The page, and a numbered screenshot per step in ``folder``."""

    def __init__(self, page: Any, folder: Path, *, status_seconds: int) -> None:
        self.page = page
        self.folder = folder
        self.status_seconds = status_seconds
        self.step = 0
        folder.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{name}.png"), full_page=True)

    def home(self) -> None:
        self.page.get_by_role("link", name="evalplatform").first.click()

    def campaign(self, name: str) -> None:
        self.home()
        self.page.locator("#your-campaigns").get_by_role("link", name=name).click()

    def until_status(self, label: str) -> None:
        """Reload the campaign page until its status reads ``label``, for up to
        ``status_seconds`` (the cockpit does not poll; the live view does)."""
        title = self.page.locator("#cockpit-title")
        for _ in range(self.status_seconds):
            if label in title.inner_text():
                return
            self.page.wait_for_timeout(1000)
            self.page.reload()
        raise AssertionError(f"the campaign never became {label}")
