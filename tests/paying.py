"""Pay pressed on a stood-in tab (`tests.concurrency.Tab`) as the renewal page's button
presses it: with the package, payment method and total the page shows."""

from __future__ import annotations

from typing import Any

from tests.concurrency import Tab


async def press_pay(tab: Tab) -> Any:
    return await tab.handle("pay", tab.selected, tab.method, tab.review["total"])
