"""Orders, their payments and the Stripe events that settle them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from heyon_app import clock


class Order(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # None for a first purchase: fulfilment creates the line.
    line_id: int | None = Field(default=None, foreign_key="esimline.id")
    package_id: int = Field(foreign_key="package.id")
    # pending | processing | paid | fulfilled | failed | canceled | expired | refunded | disputed
    status: str = Field(default="pending", max_length=16, index=True)
    list_price_minor: int
    discount_minor: int = 0
    amount_minor: int
    currency: str = Field(max_length=3)
    promotion_id: int | None = Field(default=None, foreign_key="promotion.id")
    payment_method: str = Field(default="", max_length=16)  # card | alipay | wechat_pay
    idempotency_key: str = Field(max_length=64, unique=True)
    payment_intent_id: str | None = Field(default=None, max_length=64, unique=True)
    receipt_number: str | None = Field(default=None, max_length=32, unique=True)
    # The validity this order bought, fixed at fulfilment so a receipt never changes.
    valid_until: datetime | None = None
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)


class OrderTransition(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    reason: str = Field(default="", max_length=200)
    at: datetime = Field(default_factory=clock.now)


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", unique=True)
    provider_ref: str = Field(max_length=64, unique=True)
    amount_minor: int
    currency: str = Field(max_length=3)
    method: str = Field(max_length=16)
    paid_at: datetime = Field(default_factory=clock.now)


class StripeEvent(SQLModel, table=True):
    """Each Stripe event id is handled once; the primary key enforces it."""

    id: str = Field(primary_key=True, max_length=255)
    type: str = Field(max_length=100)
    received_at: datetime = Field(default_factory=clock.now)


class PaymentReversal(SQLModel, table=True):
    """Money that went back (or is held back) after a payment: a refund, a dispute, or a
    surplus payment we refunded ourselves. One row per refund/dispute, whatever the number
    or order of Stripe's events; `taken_back_seconds` is the validity currently removed
    from the line, so a dispute won gives back exactly that."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=96, unique=True)  # "refund:pi_…", "dispute:dp_…", "surplus:pi_…"
    kind: str = Field(max_length=16)  # refund | dispute | surplus
    payment_intent_id: str = Field(max_length=64, index=True)
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    # refund: partial | full; dispute: open | won | lost; surplus: refunded
    status: str = Field(max_length=16)
    amount_minor: int = 0
    currency: str = Field(default="", max_length=3)
    applied: bool = False  # its validity is taken back now (one row per payment at most)
    taken_back_seconds: int = 0
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)
