"""Readers kept for files written by the 2023 importer."""

import json
from pathlib import Path


def read_manifest(path: Path) -> dict:
    # The 2023 importer wrote manifests with a BOM; json.loads copes.
    text = path.read_text(encoding="utf-8-sig")
    return json.loads(text)


class SnapshotReader:
    """Reads the nightly stock snapshots."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self, name: str) -> list[dict]:
        with open(self.root / f"{name}.json", encoding="utf-8") as handle:
            rows = json.loads(handle.read())
        return [row for row in rows if row.get("active", True)]
