"""Admin frame: navigation between the admin sections (each section has its own module)."""

MESSAGES = {
    "admin.nav.label": ("管理功能", "Admin sections"),
    "admin.nav.overview": ("概览", "Overview"),
    "admin.nav.promotions": ("促销", "Promotions"),
    "admin.nav.packages": ("套餐", "Packages"),
    "admin.nav.customers": ("客户", "Customers"),
    "admin.nav.tickets": ("工单", "Tickets"),
    "admin.nav.audit": ("审计日志", "Audit log"),
}
