"""Where roaming works: a country or region (Chinese or English) -> packages covering it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlmodel import Session

from heyon_app.services import catalog

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
HOME_REGION = "CN"  # Heyon's home network: no roaming needed there
MAX_RESULTS = 6


@dataclass(frozen=True)
class Region:
    iso: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class RegionCoverage:
    region: Region
    # home | covered | not_covered
    status: str
    package_codes: tuple[str, ...]


def _norm(text: str) -> str:
    return re.sub(r"[\s.\-_'’]+", "", text.lower())


@cache
def load_regions(path: Path = DATA_FILE) -> tuple[Region, ...]:
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return tuple(
            Region(
                iso=row["iso"].strip().upper(),
                name_zh=row["zh"].strip(),
                name_en=row["en"].strip(),
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            )
            for row in csv.DictReader(lines)
        )


def search_regions(query: str) -> list[Region]:
    """Exact name, code or alias first, then names that start with or contain the query."""
    q = _norm(query)
    if not q:
        return []
    ranked = []
    for index, region in enumerate(load_regions()):
        names = [_norm(n) for n in (region.name_zh, region.name_en, *region.aliases)]
        if q == region.iso.lower() or q in names:
            rank = 0
        elif any(n.startswith(q) for n in names):
            rank = 1
        # Substrings only from two characters on ("美" alone is an alias, not a fragment).
        elif len(q) >= 2 and any(q in n for n in names):
            rank = 2
        else:
            continue
        ranked.append((rank, index, region))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [region for _, _, region in ranked[:MAX_RESULTS]]


def coverage(session: Session, *, query: str) -> list[RegionCoverage]:
    packages = catalog.active_packages(session)
    results = []
    for region in search_regions(query):
        if region.iso == HOME_REGION:
            results.append(RegionCoverage(region, "home", ()))
            continue
        codes = tuple(p.code for p in packages if region.iso in catalog.regions_of(p))
        results.append(RegionCoverage(region, "covered" if codes else "not_covered", codes))
    return results


def region_names(codes: list[str], locale: str) -> list[str]:
    """Display names of ISO codes in `locale`, the code itself when unknown."""
    by_iso = {r.iso: r for r in load_regions()}
    return [
        (by_iso[c].name_en if locale == "en" else by_iso[c].name_zh) if c in by_iso else c
        for c in codes
    ]
