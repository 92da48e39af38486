"""Auto-renew: the Stripe Customer of a user, the card saved for a line, each charge tried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from heyon_app import clock


class StripeCustomer(SQLModel, table=True):
    """The Stripe Customer a user's saved cards belong to, made the first time one is saved."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    customer_id: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=clock.now)


class AutoRenewal(SQLModel, table=True):
    """The card a line renews with. Switched off, the row stays (enabled false) and the
    worker charges nothing; switching on again saves a card anew."""

    line_id: int = Field(foreign_key="esimline.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    enabled: bool = True
    payment_method_id: str = Field(max_length=64)
    # For the dashboard only; the card itself stays at Stripe.
    brand: str = Field(default="", max_length=16)
    last4: str = Field(default="", max_length=4)
    updated_at: datetime = Field(default_factory=clock.now)


class AutoRenewAttempt(SQLModel, table=True):
    """One charge per line and expiry date, however many workers run: the unique constraint,
    not timing, is what stops a second one. A renewal moves valid_until, so the next
    period's charge is a new row."""

    __table_args__ = (UniqueConstraint("line_id", "valid_until"),)

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="esimline.id", index=True)
    valid_until: datetime
    order_id: int | None = Field(default=None, foreign_key="order.id")
    # started | charged | declined | authentication_required | unavailable | error
    outcome: str = Field(default="started", max_length=32)
    error_code: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)
