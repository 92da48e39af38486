"""Admin pages, one module per section (see routes.ADMIN_SECTIONS)."""

from heyon_app.pages.admin import audit, packages, promotions

__all__ = ["audit", "packages", "promotions"]
