"""Items and the stock that holds them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    price_cents: int = 0

    @property
    def label(self) -> str:
        return f"{self.name} ({self.sku})"


@dataclass
class Stock:
    items: dict[str, int] = field(default_factory=dict)

    def add(self, item: Item, count: int = 1) -> None:
        if count <= 0:
            raise ValueError(f"count must be positive, got {count}")
        self.items[item.sku] = self.items.get(item.sku, 0) + count

    def remove(self, sku: str, count: int = 1) -> int:
        def clamp(value: int) -> int:
            return max(value, 0)

        left = clamp(self.items.get(sku, 0) - count)
        self.items[sku] = left
        return left

    @classmethod
    def load(cls, path: Path) -> Stock:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(items={sku: int(n) for sku, n in data.items()})
