"""Admin pages, one module per section (see routes.ADMIN_SECTIONS).

Every admin page module is imported here: the authorization tests find the admin states
through this package.
"""

from heyon_app.pages.admin import audit, customers, overview, packages, promotions, tickets

__all__ = ["audit", "customers", "overview", "packages", "promotions", "tickets"]
