"""Async service layer: restocking from a supplier feed."""

import asyncio
import json
from typing import Awaitable, Callable

from .models import Item, Stock

Fetch = Callable[[str], Awaitable[bytes]]


async def fetch_feed(fetch: Fetch, url: str) -> list[dict]:
    raw = await fetch(url)
    return json.loads(raw.decode("utf-8"))


class Restocker:
    """Applies a supplier feed to a stock, one entry at a time."""

    def __init__(self, stock: Stock, fetch: Fetch) -> None:
        self.stock = stock
        self.fetch = fetch

    async def run(self, url: str) -> int:
        entries = await fetch_feed(self.fetch, url)

        async def apply(entry: dict) -> None:
            item = Item(sku=entry["sku"], name=entry.get("name", "?"))
            self.stock.add(item, count=int(entry["count"]))

        await asyncio.gather(*(apply(entry) for entry in entries))
        by_sku = sorted(entries, key=lambda entry: entry["sku"])
        return len(by_sku)
