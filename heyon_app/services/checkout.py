"""What the renew and result pages show: the customer's choice, and an order's outcome once
Stripe has been asked (never the browser's word). Plain functions for the thin CheckoutState.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from heyon_app import clock, routes
from heyon_app.models import EsimLine, Order, Package, User
from heyon_app.services import (
    billing,
    dashboard,
    fulfilment,
    pricing,
    recommendations,
    stripe_gateway,
)
from heyon_app.services.errors import UserError


def recommended_package(
    session: Session, *, line: EsimLine | None, advice: tuple[list[Package], bool]
) -> str | None:
    """The dashboard's recommendation for this line, pre-selected when renewing."""
    if line is None:
        return None
    today = clock.local_today()
    found = recommendations.recommend(session, line=line, today=today, advice=advice)
    return found.package_code if found else None


@dataclass(frozen=True)
class RenewChoice:
    line: EsimLine | None  # None: buying a first eSIM
    packages: list[Package]
    recommended: str  # package code, "" when none
    selected: str
    method: str
    quote: billing.Quote


def renew_choice(
    session: Session, *, user: User, line_id: int, package_code: str, code: str = ""
) -> RenewChoice:
    """The line asked for (else the customer's first), the package asked for (else the
    recommended one, else the line's current one) and the quote for them."""
    lines = dashboard.user_lines(session, user_id=user.id)
    line = next((ln for ln in lines if ln.id == line_id), lines[0] if lines else None)
    # The active catalogue, read once for the list, the advice and the quote.
    advice = recommendations.advice_data(session, line_id=line.id if line else 0)
    packages = advice[0]
    codes = {p.code for p in packages}
    current = session.get(Package, line.package_id) if line and line.package_id else None
    recommended = recommended_package(session, line=line, advice=advice) or ""
    choice = package_code or recommended or (current.code if current else "")
    selected = choice if choice in codes else packages[0].code
    q = billing.quote(
        session,
        user=user,
        line_id=line.id if line else None,
        package_code=selected,
        code=code,
        active=packages,
    )
    return RenewChoice(
        line, packages, recommended, selected, billing.last_method(session, user=user), q
    )


def free_order_source(order_id: int) -> str:
    """The payment reference of a zero-total order: no Stripe intent, one per order."""
    return f"free-{order_id}"


def confirm_free_order(session: Session, *, user: User, order_id: int) -> Order:
    """Fulfil a zero-total order without Stripe, through the one fulfilment path (same
    transitions, receipt, mail, SMS and line). If the customer's number had its free month
    meanwhile (another account claimed it first), the order is canceled and they are told."""
    order = billing.order_for(session, user=user, order_id=order_id)
    if order.amount_minor != 0:
        raise UserError("promo.error.not_free")
    if order.status not in billing.OPEN_STATES:
        if order.status == "fulfilled":
            return order  # a second click: done already
        raise UserError("checkout.error.order_closed")
    session.commit()
    try:
        outcome = fulfilment.fulfil_payment(
            session,
            payment_intent_id=free_order_source(order.id),
            amount_minor=0,
            currency=order.currency,
            source="free",
            order_id=order.id,
        )
        session.commit()
    except pricing.FreeMonthTaken as taken:
        session.rollback()
        session.refresh(order)
        billing.transition(session, order, "canceled", "free month already claimed for this number")
        session.commit()
        raise UserError(taken.key) from None
    fulfilment.send_queued(session, outcome.notifications)
    session.refresh(order)
    return order


def settle_order(session: Session, *, user: User, order_id: int) -> Order | None:
    """The customer's order after asking Stripe how its payment stands and acting on it;
    None when the order is not this customer's. Mail goes out after the commit."""
    order = session.get(Order, order_id) if order_id else None
    if order is None or order.user_id != user.id:
        return None
    try:
        outcome = fulfilment.sync_order(session, order=order, source="result page")
    except stripe_gateway.GatewayError:
        return order
    session.commit()
    if outcome.notifications:
        fulfilment.send_queued(session, outcome.notifications)
    return order


@dataclass(frozen=True)
class ResultView:
    status: str  # waiting | paid | failed | canceled | reversed | missing
    message_key: str
    until: str = ""
    new_line_id: int = 0  # a first eSIM, not yet installed: the page links to its activation
    retry_url: str = routes.RENEW


def result_view(session: Session, *, user: User | None, order_id: int) -> ResultView:
    """What the result page says about an order, once Stripe has been asked."""
    order = settle_order(session, user=user, order_id=order_id) if user else None
    if order is None:
        return ResultView("missing", "checkout.error.no_order")
    package = session.get(Package, order.package_id)
    retry = routes.renew_url(order.line_id, package.code if package else None)
    if order.status == "fulfilled":
        line = session.get(EsimLine, order.line_id)
        new_line = line.id if line is not None and line.status == "not_installed" else 0
        key = "result.paid_new" if new_line else "result.paid"
        until = clock.local_date(line.valid_until if line else None)
        return ResultView("paid", key, until, new_line, retry)
    if order.status in ("refunded", "disputed"):
        return ResultView("reversed", f"result.{order.status}", retry_url=retry)
    if order.status == "failed":
        return ResultView("failed", "result.failed", retry_url=retry)
    if order.status in ("canceled", "expired"):
        return ResultView("canceled", "result.canceled", retry_url=retry)
    return ResultView("waiting", "result.processing", retry_url=retry)
