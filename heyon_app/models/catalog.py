"""What Heyon sells and the promotions that change its price."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from heyon_app import clock


class Package(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name_zh: str = Field(max_length=80)
    name_en: str = Field(max_length=80)
    kind: str = Field(max_length=16)  # voice | data | roaming
    period: str = Field(max_length=16)  # month | quarter | year
    data_mb: int = 0
    minutes: int = 0
    # Comma-separated ISO 3166 codes of the regions where roaming works.
    roaming_regions: str = Field(default="", max_length=400)
    price_minor: int
    currency: str = Field(default="CNY", max_length=3)
    active: bool = True
    sort_order: int = 0


class Promotion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    kind: str = Field(max_length=32)  # first_month_free | renewal_discount
    name_zh: str = Field(max_length=80)
    name_en: str = Field(max_length=80)
    percent_off: int = 0
    active: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    updated_at: datetime = Field(default_factory=clock.now)
