"""The Heyon app: every page and its guard, in one place."""

from __future__ import annotations

import reflex as rx

from heyon_app import (
    models,  # noqa: F401 - registers the tables for `reflex db`
    routes,
)
from heyon_app.api import api, register_local_stripe_webhook
from heyon_app.pages import auth, orders, renew, shell
from heyon_app.state.base import AppState
from heyon_app.state.checkout import CheckoutState, ResultState
from heyon_app.state.orders import OrdersState

app = rx.App(
    stylesheets=["/heyon.css"],
    api_transformer=api,
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
app.register_lifespan_task(register_local_stripe_webhook)

app.add_page(
    auth.login_page, route=routes.LOGIN, title="Heyon", on_load=AppState.redirect_if_logged_in
)
app.add_page(
    auth.register_page, route=routes.REGISTER, title="Heyon", on_load=AppState.redirect_if_logged_in
)
app.add_page(auth.forgot_password_page, route=routes.FORGOT_PASSWORD, title="Heyon")
app.add_page(auth.reset_password_page, route=routes.RESET_PASSWORD, title="Heyon")

app.add_page(
    shell.dashboard_page, route=routes.DASHBOARD, title="Heyon", on_load=AppState.require_login
)
app.add_page(
    shell.packages_page, route=routes.PACKAGES, title="Heyon", on_load=AppState.require_login
)
app.add_page(
    orders.orders_page,
    route=routes.ORDERS,
    title="Heyon",
    on_load=[AppState.require_login, OrdersState.load_orders],
)
app.add_page(
    orders.receipt_page,
    route=routes.RECEIPT,
    title="Heyon",
    on_load=[AppState.require_login, OrdersState.load_receipt],
)
app.add_page(
    renew.renew_page,
    route=routes.RENEW,
    title="Heyon",
    on_load=[AppState.require_login, CheckoutState.load_renew],
)
app.add_page(
    renew.result_page,
    route=routes.ORDER_RESULT,
    title="Heyon",
    on_load=[AppState.require_login, ResultState.load_result],
)
app.add_page(
    shell.support_page, route=routes.SUPPORT, title="Heyon", on_load=AppState.require_login
)
app.add_page(
    shell.account_page, route=routes.ACCOUNT, title="Heyon", on_load=AppState.require_login
)
app.add_page(shell.admin_page, route=routes.ADMIN, title="Heyon", on_load=AppState.require_admin)
