"""Inventory lookups shared by the workflow."""
import urllib.request


def stock_level(sku):
    with urllib.request.urlopen(f"https://inventory.example.com/{sku}") as response:  # BUG DF002 outside a step
        return int(response.read())
