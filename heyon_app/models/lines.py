"""eSIM lines and what they use."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from heyon_app import clock


class EsimLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    number: str = Field(max_length=20, unique=True)
    iccid: str = Field(max_length=22, unique=True)
    status: str = Field(
        default="not_installed", max_length=16
    )  # not_installed | active | suspended
    activation_code: str = Field(max_length=255)  # LPA:1$<SM-DP+ address>$<matching id>
    package_id: int | None = Field(default=None, foreign_key="package.id")
    valid_until: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=clock.now)


class UsageRecord(SQLModel, table=True):
    """One day of a line's use as reported by the network operator."""

    __table_args__ = (UniqueConstraint("line_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="esimline.id", index=True)
    day: dt.date
    data_mb: int = 0
    minutes: int = 0
    roaming_mb: int = 0
