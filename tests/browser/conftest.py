"""Playwright against Debian's chromium; nothing is downloaded.

Needs the ``playwright`` Python package and ``/usr/bin/chromium`` (apt package ``chromium``).
Tests are marked ``browser`` and skip with the reason when either is missing.
"""
import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JIFEN_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install playwright)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        path = SCREENSHOTS / f"{name}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path), full_page=full_page)
        take.taken.append(path)
        return path

    take.taken = []
    return take
