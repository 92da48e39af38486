"""All SQLModel tables; importing this package registers them for Alembic."""

from heyon_app.models.accounts import AuthSession, PasswordReset, ThrottleEvent, User
from heyon_app.models.billing import Order, OrderTransition, Payment, PaymentReversal, StripeEvent
from heyon_app.models.catalog import (
    FreeMonthClaim,
    Package,
    PhoneVerification,
    Promotion,
    PromotionRedemption,
)
from heyon_app.models.lines import EsimLine, UsageRecord
from heyon_app.models.ops import (
    AuditLog,
    Notification,
    Reminder,
    ReminderPreference,
    SupportTicket,
    WorkerHeartbeat,
)

__all__ = [
    "AuditLog",
    "AuthSession",
    "EsimLine",
    "FreeMonthClaim",
    "Notification",
    "Order",
    "OrderTransition",
    "Package",
    "PasswordReset",
    "Payment",
    "PaymentReversal",
    "PhoneVerification",
    "Promotion",
    "PromotionRedemption",
    "Reminder",
    "ReminderPreference",
    "StripeEvent",
    "SupportTicket",
    "ThrottleEvent",
    "UsageRecord",
    "User",
    "WorkerHeartbeat",
]
