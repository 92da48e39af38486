"""The Heyon app: every page and its guard, in one place."""

from __future__ import annotations

import reflex as rx

from heyon_app import (
    logs,
    models,  # noqa: F401 - registers the tables for `reflex db`
    routes,
    state_managers,
    tab_handover,
)
from heyon_app.api import api, register_local_stripe_webhook
from heyon_app.components import preload
from heyon_app.pages import (
    activation,
    auth,
    coverage,
    dashboard,
    orders,
    packages,
    renew,
    shell,
    support,
)
from heyon_app.pages import admin as admin_pages
from heyon_app.state.activation import ActivationState
from heyon_app.state.admin.audit import AuditState
from heyon_app.state.admin.customers import CustomersState
from heyon_app.state.admin.overview import OverviewState
from heyon_app.state.admin.packages import PackagesAdminState
from heyon_app.state.admin.promotions import PromotionsState
from heyon_app.state.admin.tickets import TicketsState
from heyon_app.state.base import AppState
from heyon_app.state.checkout import CheckoutState, ResultState
from heyon_app.state.dashboard import DashboardState
from heyon_app.state.event_logging import EventLogContext
from heyon_app.state.failure_toast import on_backend_exception
from heyon_app.state.orders import OrdersState
from heyon_app.state.packages import PackagesState
from heyon_app.state.reminders import ReminderPrefsState
from heyon_app.state.support import SupportState

# The backend's log lines as JSON, secrets scrubbed (heyon_app.logs); before any request.
logs.configure()

app = rx.App(
    stylesheets=["/heyon.css"],
    api_transformer=api,
    head_components=[
        rx.el.meta(name="viewport", content="width=device-width, initial-scale=1"),
        preload.head_script(),
    ],
    backend_exception_handler=on_backend_exception,
)
app.register_lifespan_task(register_local_stripe_webhook)
tab_handover.install(app)
state_managers.install(app)
app.add_middleware(EventLogContext())


def public(component, route: str, *on_load) -> None:
    app.add_page(component, route=route, title="Heyon", on_load=list(on_load) or None)


def customer(component, route: str, loader=None) -> None:
    """A logged-in page. Its loader is also its login guard: one event and one session
    lookup per page load (a separate guard event cost a second lookup on every page). A
    page with no data of its own gets the bare guard."""
    guard = loader or AppState.require_login
    app.add_page(component, route=route, title="Heyon", on_load=guard)


public(auth.login_page, routes.LOGIN, AppState.redirect_if_logged_in)
public(auth.register_page, routes.REGISTER, AppState.redirect_if_logged_in)
public(auth.forgot_password_page, routes.FORGOT_PASSWORD)
public(auth.reset_password_page, routes.RESET_PASSWORD)

customer(dashboard.dashboard_page, routes.DASHBOARD, DashboardState.load)
customer(packages.packages_page, routes.PACKAGES, PackagesState.load)
customer(renew.renew_page, routes.RENEW, CheckoutState.load_renew)
customer(orders.orders_page, routes.ORDERS, OrdersState.load_orders)
customer(orders.receipt_page, routes.RECEIPT, OrdersState.load_receipt)
customer(activation.activation_page, routes.ACTIVATION, ActivationState.load)
customer(activation.device_check_page, routes.DEVICE_CHECK)
customer(coverage.coverage_page, routes.COVERAGE)
customer(support.support_page, routes.SUPPORT, SupportState.load)
customer(shell.account_page, routes.ACCOUNT, ReminderPrefsState.load)
# The result page's loader is a background poll, which cannot send the customer to the
# login page before it starts: the guard runs first, as its own event.
app.add_page(
    renew.result_page,
    route=routes.ORDER_RESULT,
    title="Heyon",
    on_load=[AppState.require_login, ResultState.load_result],
)


def admin(component, route: str, *loaders) -> None:
    """An admin page: the role is checked on the server before the page's loaders run."""
    app.add_page(component, route=route, title="Heyon", on_load=[AppState.require_admin, *loaders])


admin(admin_pages.overview.overview_page, routes.ADMIN, OverviewState.load)
admin(admin_pages.promotions.promotions_page, routes.ADMIN_PROMOTIONS, PromotionsState.load)
admin(admin_pages.packages.packages_page, routes.ADMIN_PACKAGES, PackagesAdminState.load)
admin(admin_pages.customers.customers_page, routes.ADMIN_CUSTOMERS, CustomersState.load)
admin(admin_pages.tickets.tickets_page, routes.ADMIN_TICKETS, TicketsState.load)
admin(admin_pages.audit.audit_page, routes.ADMIN_AUDIT, AuditState.load)
