"""Admin pages, one module per section (see routes.ADMIN_SECTIONS)."""
