import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from heyon_app.bundling import VendorChunk
from heyon_app.radix_styles import ACCENT, GRAY, RadixStyles
from heyon_app.settings import settings

config = rx.Config(
    app_name="heyon_app",
    db_url=settings.db_url,
    redis_url=settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        RadixStyles(theme=rx.theme(accent_color=ACCENT, gray_color=GRAY, radius="large")),
        VendorChunk(),
    ],
    disable_plugins=[SitemapPlugin],
)
