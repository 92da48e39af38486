"""All SQLModel tables; importing this package registers them for Alembic."""

from heyon_app.models.accounts import AuthSession, PasswordReset, ThrottleEvent, User
from heyon_app.models.autorenew import AutoRenewal, AutoRenewAttempt, StripeCustomer
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
    "AutoRenewAttempt",
    "AutoRenewal",
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
    "StripeCustomer",
    "StripeEvent",
    "SupportTicket",
    "ThrottleEvent",
    "UsageRecord",
    "User",
    "WorkerHeartbeat",
]
