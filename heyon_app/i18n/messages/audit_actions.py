"""What each audited admin action is called in the audit log (its code stays searchable)."""

MESSAGES = {
    "audit.action.admin.create": ("创建管理员", "Admin created"),
    "audit.action.admin.promote": ("设为管理员", "Made an admin"),
    "audit.action.line.extend": ("手动延长有效期", "Line extended by hand"),
    "audit.action.order.refund": ("退款", "Order refunded"),
    "audit.action.package.switch_on": ("套餐上架", "Package on sale"),
    "audit.action.package.switch_off": ("套餐下架", "Package off sale"),
    "audit.action.package.update": ("修改套餐", "Package edited"),
    "audit.action.promotion.create": ("新建促销", "Promotion created"),
    "audit.action.promotion.switch_on": ("开启促销", "Promotion switched on"),
    "audit.action.promotion.switch_off": ("关闭促销", "Promotion switched off"),
    "audit.action.promotion.update": ("修改促销", "Promotion edited"),
    "audit.action.ticket.answer": ("回复工单", "Ticket answered"),
    "audit.action.ticket.close": ("关闭工单", "Ticket closed"),
    "audit.action.support.ticket": ("提交工单", "Ticket filed"),
    "audit.action.user.register": ("注册账户", "Account registered"),
    "audit.action.user.password_changed": ("修改密码", "Password changed"),
    "audit.action.user.password_reset": ("重置密码", "Password reset"),
}
