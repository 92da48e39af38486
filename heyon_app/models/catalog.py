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
    """A price rule an admin switches on and off; at most one applies to an order.

    kinds: first_month_free (a new customer's first monthly package costs 0),
    renewal_discount (percent off for a customer with an earlier paid order) and
    promo_code (percent or fixed amount off for whoever types `code`).
    """

    id: int | None = Field(default=None, primary_key=True)
    # For promo_code the code customers type (stored upper case); otherwise an internal name.
    code: str = Field(max_length=40, unique=True)
    kind: str = Field(max_length=32)  # first_month_free | renewal_discount | promo_code
    name_zh: str = Field(max_length=80)
    name_en: str = Field(max_length=80)
    percent_off: int = 0  # 0..100
    amount_off_minor: int = 0  # a fixed amount off, in `currency`
    currency: str = Field(default="CNY", max_length=3)
    active: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    max_redemptions: int | None = None  # over all customers; None = unlimited
    per_customer_limit: int | None = None  # None = unlimited
    # Comma-separated package codes / periods it is limited to; empty = all.
    package_codes: str = Field(default="", max_length=400)
    periods: str = Field(default="", max_length=40)
    # Redemptions reserved or made: a conditional UPDATE on it guards max_redemptions.
    redemptions: int = 0
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)


class PromotionRedemption(SQLModel, table=True):
    """A promotion used by one order: reserved when the order is priced, redeemed when it is
    paid, released when the order ends unpaid (the count goes back)."""

    id: int | None = Field(default=None, primary_key=True)
    promotion_id: int = Field(foreign_key="promotion.id", index=True)
    order_id: int = Field(foreign_key="order.id", unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    discount_minor: int
    currency: str = Field(max_length=3)
    status: str = Field(default="reserved", max_length=16)  # reserved | redeemed | released
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)


class PhoneVerification(SQLModel, table=True):
    """An SMS code that proves a customer holds a mobile number (only its hash is kept)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    phone: str = Field(max_length=32, index=True)
    code_hash: str = Field(max_length=64)
    attempts: int = 0
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    verified_at: datetime | None = None


class FreeMonthClaim(SQLModel, table=True):
    """A mobile number that has had the free first month: the primary key makes it once."""

    phone: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="user.id", index=True)
    order_id: int = Field(foreign_key="order.id", unique=True)
    claimed_at: datetime = Field(default_factory=clock.now)
