"""Route constants and URL builders: the one place a path is spelled."""

LOGIN = "/login"
REGISTER = "/register"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"
DASHBOARD = "/"
PACKAGES = "/packages"
ORDERS = "/orders"
SUPPORT = "/support"
ADMIN = "/admin"
ACCOUNT = "/account"


def reset_password_url(public_url: str, token: str) -> str:
    return f"{public_url}{RESET_PASSWORD}?token={token}"
