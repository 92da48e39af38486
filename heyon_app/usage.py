"""`python -m heyon_app.usage import FILE`: load the operator's daily usage report.

FILE is CSV with a header (number or iccid, day, data_mb, minutes[, roaming_mb]) or JSON
lines (.jsonl / .ndjson) with the same keys. Exit code 0 when imported, 1 when any row
was rejected (then nothing is imported), 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.services import usage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heyon_app.usage")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("import", help="import a CSV or JSON-lines usage file")
    load.add_argument("file", type=Path)
    load.add_argument(
        "--format", choices=("auto", "csv", "jsonl"), default="auto", help="default: by suffix"
    )
    args = parser.parse_args(argv)

    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    json_lines = args.format == "jsonl" or (
        args.format == "auto" and args.file.suffix.lower() in (".jsonl", ".ndjson", ".json")
    )
    with session_scope() as session:
        result = usage.import_usage(
            session, text=text, json_lines=json_lines, today=clock.local_today()
        )
    if not result.ok:
        for bad in result.rejected:
            where = "header" if bad.row == usage.HEADER_ROW else f"row {bad.row}"
            print(f"{where}: {bad.reason}", file=sys.stderr)
        print(
            f"{len(result.rejected)} row(s) rejected; nothing imported from {args.file}",
            file=sys.stderr,
        )
        return 1
    print(f"imported {result.imported} new day(s), replaced {result.replaced} from {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
