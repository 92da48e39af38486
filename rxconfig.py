import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin
from reflex_components_radix.plugin import RadixThemesPlugin

from heyon_app.bundling import VendorChunk
from heyon_app.settings import settings

config = rx.Config(
    app_name="heyon_app",
    db_url=settings.db_url,
    redis_url=settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="large")),
        VendorChunk(),
    ],
    disable_plugins=[SitemapPlugin],
)
