"""Does a phone take an eSIM? Looked up in the shipped list of common models.

Some models differ by the region they were sold in (most iPhones sold in mainland
China, part numbers ending in CH/A, have no eSIM), so the model name alone is not always
enough: then the answer asks for the part number and says why.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "esim_devices.csv"
MAX_RESULTS = 8
# Apple part numbers: four characters, a digit, the region letters, "/" and a letter
# (MTP03CH/A, MU663LL/A, MLJQ3J/A). The slash part may be left out.
_PART_NUMBER = re.compile(r"^[A-Z0-9]{4}\d([A-Z]{1,2})(?:/[A-Z])?$")


@dataclass(frozen=True)
class DeviceModel:
    brand: str
    model: str
    aliases: tuple[str, ...]
    esim: bool
    # region variant -> eSIM yes/no where it differs from `esim`
    variants: tuple[tuple[str, bool], ...]

    @property
    def label(self) -> str:
        return f"{self.brand} {self.model}"

    @property
    def needs_part_number(self) -> bool:
        return self.brand == "Apple" and any(v != self.esim for _, v in self.variants)

    @property
    def differs_by_edition(self) -> bool:
        return self.brand != "Apple" and any(v != self.esim for _, v in self.variants)


@dataclass(frozen=True)
class DeviceAnswer:
    brand: str
    model: str
    # yes | no | need_part_number | bad_part_number | depends_edition
    result: str
    region: str = ""


def _compact(text: str) -> str:
    return re.sub(r"[\s\-_()]+", "", text.lower())


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-_()|]+", text.lower()) if w]


@cache
def load_models(path: Path = DATA_FILE) -> tuple[DeviceModel, ...]:
    rows: dict[tuple[str, str], dict] = {}
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            key = (row["brand"].strip(), row["model"].strip())
            entry = rows.setdefault(key, {"aliases": (), "esim": None, "variants": []})
            esim = row["esim"].strip().lower() == "yes"
            if row["aliases"].strip():
                entry["aliases"] = tuple(a.strip() for a in row["aliases"].split("|"))
            variant = row["variant"].strip().upper()
            if variant:
                entry["variants"].append((variant, esim))
            else:
                entry["esim"] = esim
    models = []
    for (brand, model), entry in rows.items():
        if entry["esim"] is None:
            raise ValueError(f"{brand} {model} has region variants but no default row")
        models.append(
            DeviceModel(brand, model, entry["aliases"], entry["esim"], tuple(entry["variants"]))
        )
    return tuple(models)


def _matches(model: DeviceModel, query: str) -> tuple[bool, int]:
    """(matches, rank): 0 exact name, 1 every word a prefix, 2 compact substring."""
    names = [model.model, model.label, *model.aliases]
    compact = _compact(query)
    if any(_compact(n) == compact for n in names):
        return True, 0
    words = _words(query)
    for name in names:
        name_words = _words(f"{model.brand} {name}")
        if words and all(any(nw.startswith(w) for nw in name_words) for w in words):
            return True, 1
    if len(compact) >= 3 and any(compact in _compact(f"{model.brand}{n}") for n in names):
        return True, 2
    return False, 9


def search_models(query: str) -> list[DeviceModel]:
    if not query.strip():
        return []
    found = []
    for index, model in enumerate(load_models()):
        ok, rank = _matches(model, query)
        if ok:
            found.append((rank, index, model))
    found.sort(key=lambda item: (item[0], item[1]))
    # An exact name is what the customer means: "iPhone 15 Pro" is not the Pro Max.
    if found and found[0][0] == 0:
        found = [item for item in found if item[0] == 0]
    return [model for _, _, model in found[:MAX_RESULTS]]


def part_number_region(part_number: str) -> str | None:
    """The region letters of an Apple part number (MTP03CH/A -> CH), None if not one."""
    match = _PART_NUMBER.match(part_number.strip().upper().replace(" ", ""))
    return match.group(1) if match else None


def answer(model: DeviceModel, part_number: str = "") -> DeviceAnswer:
    if model.differs_by_edition:
        return DeviceAnswer(model.brand, model.model, "depends_edition")
    if not model.needs_part_number:
        return DeviceAnswer(model.brand, model.model, "yes" if model.esim else "no")
    if not part_number.strip():
        return DeviceAnswer(model.brand, model.model, "need_part_number")
    region = part_number_region(part_number)
    if region is None:
        return DeviceAnswer(model.brand, model.model, "bad_part_number")
    esim = dict(model.variants).get(region, model.esim)
    return DeviceAnswer(model.brand, model.model, "yes" if esim else "no", region)


def check(query: str, part_number: str = "") -> list[DeviceAnswer]:
    """Answers for every model matching `query`, best match first (empty if none)."""
    return [answer(model, part_number) for model in search_models(query)]
