"""Inventory: a tiny stock-keeping package (stablegate's bundled demo)."""

from .models import Item, Stock

__all__ = ["Item", "Stock"]
