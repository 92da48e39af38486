"""The Heyon app: every page and its guard, in one place."""

from __future__ import annotations

import reflex as rx

from heyon_app import (
    models,  # noqa: F401 - registers the tables for `reflex db`
    routes,
)
from heyon_app.api import api
from heyon_app.pages import activation, auth, coverage, dashboard, packages, shell, support
from heyon_app.state.activation import ActivationState
from heyon_app.state.base import AppState
from heyon_app.state.dashboard import DashboardState
from heyon_app.state.packages import PackagesState
from heyon_app.state.support import SupportState

app = rx.App(
    stylesheets=["/heyon.css"],
    api_transformer=api,
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)

app.add_page(
    auth.login_page, route=routes.LOGIN, title="Heyon", on_load=AppState.redirect_if_logged_in
)
app.add_page(
    auth.register_page, route=routes.REGISTER, title="Heyon", on_load=AppState.redirect_if_logged_in
)
app.add_page(auth.forgot_password_page, route=routes.FORGOT_PASSWORD, title="Heyon")
app.add_page(auth.reset_password_page, route=routes.RESET_PASSWORD, title="Heyon")

app.add_page(
    dashboard.dashboard_page,
    route=routes.DASHBOARD,
    title="Heyon",
    on_load=[AppState.require_login, DashboardState.load],
)
app.add_page(
    packages.packages_page,
    route=routes.PACKAGES,
    title="Heyon",
    on_load=[AppState.require_login, PackagesState.load],
)
app.add_page(shell.orders_page, route=routes.ORDERS, title="Heyon", on_load=AppState.require_login)
app.add_page(
    support.support_page,
    route=routes.SUPPORT,
    title="Heyon",
    on_load=[AppState.require_login, SupportState.load],
)
app.add_page(
    activation.activation_page,
    route=routes.ACTIVATION,
    title="Heyon",
    on_load=[AppState.require_login, ActivationState.load],
)
app.add_page(
    activation.device_check_page,
    route=routes.DEVICE_CHECK,
    title="Heyon",
    on_load=AppState.require_login,
)
app.add_page(
    coverage.coverage_page, route=routes.COVERAGE, title="Heyon", on_load=AppState.require_login
)
app.add_page(
    shell.account_page, route=routes.ACCOUNT, title="Heyon", on_load=AppState.require_login
)
app.add_page(shell.admin_page, route=routes.ADMIN, title="Heyon", on_load=AppState.require_admin)
