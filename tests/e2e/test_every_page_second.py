"""Every page of the second third of the demo people (see `tests/e2e/every_page.py`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import RunningServer
from tests.e2e.every_page import a_third_of_the_people, check_every_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("username", "inside"), a_third_of_the_people(1))
def test_every_page_is_accessible_and_fits_the_screen(
    browser: Any, server: RunningServer, username: str, inside: bool
) -> None:
    check_every_page(browser, server, username, inside)
