"""Admin promotions, packages and audit log."""

MESSAGES = {
    "page.admin.promotions.title": ("促销管理", "Promotions"),
    "page.admin.packages.title": ("套餐管理", "Packages"),
    "page.admin.audit.title": ("审计日志", "Audit log"),
    # Promotions
    "admin.promotions.intro": (
        "开关立即生效：新的报价马上按此计算，已创建的订单保持原价。",
        "Switches work at once: new quotes use them right away; orders already created keep "
        "their price.",
    ),
    "admin.promotions.list": ("全部促销", "All promotions"),
    "admin.promotions.on": ("已开启", "On"),
    "admin.promotions.off": ("已关闭", "Off"),
    "admin.promotions.switched_on": ("促销已开启。", "Promotion switched on."),
    "admin.promotions.switched_off": ("促销已关闭。", "Promotion switched off."),
    "admin.promotions.new": ("新建促销", "New promotion"),
    "admin.promotions.edit": ("编辑", "Edit"),
    "admin.promotions.edit_title": ("编辑促销", "Edit promotion"),
    "admin.promotions.cancel": ("取消", "Cancel"),
    "admin.promotions.kind": ("类型", "Kind"),
    "admin.promotions.kind.first_month_free": ("新用户首月免费", "First month free"),
    "admin.promotions.kind.renewal_discount": ("续费优惠", "Renewal discount"),
    "admin.promotions.kind.promo_code": ("优惠码", "Promo code"),
    "admin.promotions.code": ("代码", "Code"),
    "admin.promotions.name_zh": ("中文名称", "Chinese name"),
    "admin.promotions.name_en": ("英文名称", "English name"),
    "admin.promotions.percent_off": ("折扣百分比（0–100）", "Percent off (0–100)"),
    "admin.promotions.amount_off": ("立减金额（元）", "Amount off (yuan)"),
    "admin.promotions.discount": ("优惠", "Discount"),
    "admin.promotions.starts": ("开始时间", "Starts"),
    "admin.promotions.ends": ("结束时间", "Ends"),
    "admin.promotions.max_redemptions": ("总使用上限", "Total redemption limit"),
    "admin.promotions.per_customer_limit": ("每位客户上限", "Limit per customer"),
    "admin.promotions.package_codes": (
        "仅限套餐（代码，逗号分隔）",
        "Only packages (codes, comma-separated)",
    ),
    "admin.promotions.periods_listed": ("仅限周期", "Only periods"),
    "admin.promotions.periods": (
        "仅限周期（month, quarter, year）",
        "Only periods (month, quarter, year)",
    ),
    "admin.promotions.form_hint": (
        "百分比与立减金额二选一（首月免费总是整月免费）；上限、时间与限制留空表示不限。"
        "新建的促销默认关闭。",
        "Give either a percent or an amount off (the free month is always the whole month); "
        "leave limits, times and restrictions empty for none. A new promotion starts "
        "switched off.",
    ),
    "admin.promotions.redeemed": ("已使用（已付款订单）", "Redeemed (paid orders)"),
    "admin.promotions.given_away": ("让利总额", "Revenue given away"),
    "admin.promotions.error.kind": ("请选择促销类型。", "Choose the kind of promotion."),
    "admin.promotions.error.promo_code": (
        "优惠码只能包含大写字母 A-Z 和数字 0-9，长度 3 到 40 位。",
        "A promo code has only the letters A-Z and digits 0-9, 3 to 40 of them.",
    ),
    "admin.promotions.error.code": (
        "代码只能包含大写字母 A-Z、数字 0-9 和下划线，长度 3 到 40 位。",
        "A code has only the letters A-Z, digits 0-9 and underscores, 3 to 40 of them.",
    ),
    "admin.promotions.error.code_taken": (
        "代码 {code} 已被其他促销使用。",
        "The code {code} is already used by another promotion.",
    ),
    "admin.promotions.error.names": (
        "请填写中文和英文名称。",
        "Enter both the Chinese and the English name.",
    ),
    "admin.promotions.error.name_long": (
        "名称最多 {max} 个字符。",
        "A name has at most {max} characters.",
    ),
    "admin.promotions.error.percent": (
        "折扣百分比须为 0 到 100 之间的整数。",
        "Percent off must be a whole number from 0 to 100.",
    ),
    "admin.promotions.error.amount": (
        "立减金额请填写元，例如 10 或 10.50。",
        "Enter the amount off in yuan, like 10 or 10.50.",
    ),
    "admin.promotions.error.one_discount": (
        "百分比和立减金额只能填写一项。",
        "Give a percent or an amount off, not both.",
    ),
    "admin.promotions.error.no_discount": (
        "请填写折扣百分比或立减金额。",
        "Give a percent or an amount off.",
    ),
    "admin.promotions.error.amount_only_codes": (
        "只有优惠码可以设置立减金额，其他类型请用百分比。",
        "Only promo codes can take a fixed amount off; use a percent for this kind.",
    ),
    "admin.promotions.error.date": (
        "请选择有效的日期和时间。",
        "Choose a valid date and time.",
    ),
    "admin.promotions.error.window": (
        "结束时间必须晚于开始时间。",
        "The end must be after the start.",
    ),
    "admin.promotions.error.limit": (
        "上限须为大于 0 的整数，或留空表示不限。",
        "A limit is a whole number above 0, or empty for none.",
    ),
    "admin.promotions.error.below_used": (
        "总使用上限不能低于已使用的 {used} 次。",
        "The total limit cannot be below the {used} redemptions already made.",
    ),
    "admin.promotions.error.packages": (
        "没有这些套餐代码：{codes}。",
        "No package has these codes: {codes}.",
    ),
    "admin.promotions.error.periods": (
        "周期只能是 month、quarter 或 year。",
        "Periods can only be month, quarter or year.",
    ),
    "admin.promotions.error.missing": ("找不到这个促销。", "This promotion does not exist."),
    "admin.promotions.error.preview_customer": (
        "请选择新客户或老客户。",
        "Choose a new or a returning customer.",
    ),
    "admin.promotions.preview": ("价格预览", "Price preview"),
    "admin.promotions.preview_hint": (
        "某个套餐对新客户或老客户，每个促销（开启或关闭）会把价格变成多少。优惠码按客户已输入计算。",
        "What each promotion (on or off) would make a package cost a new or a returning "
        "customer. Promo codes are shown as if the customer typed them.",
    ),
    "admin.promotions.preview_package": ("套餐", "Package"),
    "admin.promotions.preview_customer": ("客户类型", "Kind of customer"),
    "admin.promotions.customer.new": ("新客户（已验证手机号）", "New (verified mobile number)"),
    "admin.promotions.customer.returning": ("老客户（有过付费订单）", "Returning (paid before)"),
    "admin.promotions.preview_run": ("预览", "Preview"),
    "admin.promotions.applies": ("适用", "Applies"),
    "admin.promotions.not_applies": ("不适用", "Does not apply"),
    "admin.promotions.wins": ("客户将获得此优惠", "The customer gets this one"),
    "admin.promotions.list_price": ("原价", "List price"),
    "admin.promotions.total": ("应付", "Total"),
    # Packages
    "admin.packages.intro": (
        "停售的套餐不再出现在续费页；已在使用的号码继续有效，可续费其他套餐。",
        "A package switched off is no longer offered on the renew page; lines on it keep "
        "working and can renew to another package.",
    ),
    "admin.packages.on_sale": ("在售", "On sale"),
    "admin.packages.off_sale": ("已停售", "Off sale"),
    "admin.packages.switched_on": ("套餐已恢复销售。", "Package is on sale again."),
    "admin.packages.switched_off": ("套餐已停售。", "Package switched off."),
    "admin.packages.price": ("价格（元）", "Price (yuan)"),
    "admin.packages.name_zh": ("中文名称", "Chinese name"),
    "admin.packages.name_en": ("英文名称", "English name"),
    "admin.packages.data_mb": ("每月流量（MB）", "Data per month (MB)"),
    "admin.packages.minutes": ("每月通话（分钟）", "Minutes per month"),
    "admin.packages.period.month": ("月付", "Monthly"),
    "admin.packages.period.quarter": ("季付", "Quarterly"),
    "admin.packages.period.year": ("年付", "Yearly"),
    "admin.packages.error.price": (
        "价格请填写大于 0 的元金额，例如 59 或 59.00。",
        "Enter a price in yuan above 0, like 59 or 59.00.",
    ),
    "admin.packages.error.names": (
        "请填写中文和英文名称。",
        "Enter both the Chinese and the English name.",
    ),
    "admin.packages.error.name_long": (
        "名称最多 {max} 个字符。",
        "A name has at most {max} characters.",
    ),
    "admin.packages.error.allowance": (
        "流量和通话分钟须为 0 或正整数。",
        "Data and minutes must be whole numbers, 0 or more.",
    ),
    "admin.packages.error.last_active": (
        "至少要保留一个在售套餐。",
        "At least one package must stay on sale.",
    ),
    "admin.packages.error.missing": ("找不到这个套餐。", "This package does not exist."),
    # Audit log
    "admin.audit.filter": ("筛选", "Filter"),
    "admin.audit.action": ("操作", "Action"),
    "admin.audit.any_action": ("全部操作", "Any action"),
    "admin.audit.target": ("对象", "Target"),
    "admin.audit.admin": ("管理员邮箱", "Admin e-mail"),
    "admin.audit.system": ("系统（支付与 Stripe 通知）", "System (payments and Stripe notices)"),
    "admin.audit.day_from": ("起始日期", "From"),
    "admin.audit.day_to": ("截止日期", "To"),
    "admin.audit.apply": ("筛选", "Apply filter"),
    "admin.audit.entries": ("记录", "Entries"),
    "admin.audit.total": ("共 {total} 条", "{total} entries"),
    "admin.audit.none": ("没有符合条件的记录。", "No entries match."),
    "admin.audit.newer": ("较新", "Newer"),
    "admin.audit.older": ("较早", "Older"),
    "admin.audit.page_of": ("第 {page} / {pages} 页", "Page {page} of {pages}"),
    "admin.audit.error.date": ("请选择有效的日期。", "Choose a valid date."),
    "admin.audit.error.range": (
        "截止日期不能早于起始日期。",
        "The end date cannot be before the start date.",
    ),
}
