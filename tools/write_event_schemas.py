"""Write docs/events/<kind>.schema.json from the bus message models (run after a change).

tests/core/test_bus_messages.py fails while the committed schemas differ from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from console.bus.messages import json_schemas

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "events"


def schema_text(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for kind, schema in json_schemas().items():
        (FOLDER / f"{kind}.schema.json").write_text(schema_text(schema), encoding="utf-8")
        print(f"wrote {kind}.schema.json")


if __name__ == "__main__":
    main()
