"""Route constants and URL builders: the one place a path is spelled."""

LOGIN = "/login"
REGISTER = "/register"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"
DASHBOARD = "/"
PACKAGES = "/packages"
ORDERS = "/orders"
SUPPORT = "/support"
ADMIN = "/admin"  # the admin overview
ADMIN_PROMOTIONS = "/admin/promotions"
ADMIN_PACKAGES = "/admin/packages"
ADMIN_CUSTOMERS = "/admin/customers"
ADMIN_TICKETS = "/admin/tickets"
ADMIN_AUDIT = "/admin/audit"
ACCOUNT = "/account"
ACTIVATION = "/activate"
DEVICE_CHECK = "/device-check"
COVERAGE = "/coverage"
RENEW = "/renew"
ORDER_RESULT = "/orders/result"
RECEIPT = "/orders/receipt"
# The dashboard's first data over plain HTTP (heyon_app/state/preload.py).
DASHBOARD_PRELOAD = "/api/dashboard-preload"


def reset_password_url(public_url: str, token: str) -> str:
    return f"{public_url}{RESET_PASSWORD}?token={token}"


def renew_url(line_id: int | None = None, package_code: str | None = None) -> str:
    """Start of the buying flow: package choice for a line (or a first eSIM when no line)."""
    params = []
    if line_id:
        params.append(f"line={line_id}")
    if package_code:
        params.append(f"package={package_code}")
    return RENEW + ("?" + "&".join(params) if params else "")


# Every admin page: (route, label key, icon). The admin navigation and the authorization
# tests are built from this list, so a page added here is guarded and tested.
ADMIN_SECTIONS = (
    (ADMIN, "admin.nav.overview", "layout-dashboard"),
    (ADMIN_PROMOTIONS, "admin.nav.promotions", "badge-percent"),
    (ADMIN_PACKAGES, "admin.nav.packages", "package"),
    (ADMIN_CUSTOMERS, "admin.nav.customers", "users"),
    (ADMIN_TICKETS, "admin.nav.tickets", "headset"),
    (ADMIN_AUDIT, "admin.nav.audit", "scroll-text"),
)
