MESSAGES = {
    "support.contact": ("联系我们", "Contact us"),
    "support.hotline": ("客服热线", "Hotline"),
    "support.hours": ("服务时间 {hours}（北京时间，每天）", "Open {hours} (Beijing time), daily"),
    "support.email": ("客服邮箱", "Email"),
    "support.faq": ("常见问题", "Frequently asked questions"),
    "support.faq.renew.q": ("续费是怎么计算的？", "How does renewal work?"),
    "support.faq.renew.a": (
        "续费在当前有效期结束后顺延一个套餐周期（按自然月计算）；到期前续费不会损失剩余天数。已过期的号码续费后从付款时起算。到期前 7 天我们会提醒您。",
        "A renewal adds one package period (in calendar months) after your current end "
        "date, so renewing early loses no days. An expired line restarts from the payment. "
        "We remind you 7 days before the end.",
    ),
    "support.faq.install.q": ("怎么安装 eSIM？", "How do I install the eSIM?"),
    "support.faq.install.a": (
        "在首页点「安装 eSIM」，用手机扫描二维码，或手动输入 SM-DP+ 地址和激活码。安装时需要连接 Wi-Fi。",
        "Tap Install the eSIM on the home page and scan the QR code, or type the SM-DP+ "
        "address and activation code. The phone needs Wi-Fi while installing.",
    ),
    "support.faq.data.q": ("流量用完了怎么办？", "What if my data runs out?"),
    "support.faq.data.a": (
        "可以随时升级到更大流量的套餐；首页会根据您近 30 天的用量推荐合适的套餐。",
        "Switch to a larger data package at any time; the home page recommends one from "
        "your last 30 days of use.",
    ),
    "support.faq.roaming.q": ("在国外能用吗？", "Does it work abroad?"),
    "support.faq.roaming.a": (
        "漫游套餐覆盖亚洲或全球多个国家和地区，可在「漫游覆盖」中查询。",
        "Roaming packages cover many countries in Asia or worldwide; look yours up under "
        "Roaming coverage.",
    ),
    "support.new_ticket": ("提交工单", "Open a ticket"),
    "support.subject": ("主题", "Subject"),
    "support.message": ("问题描述", "Message"),
    "support.order": ("相关订单（选填）", "Related order (optional)"),
    "support.no_order": ("无", "None"),
    "support.submit": ("提交", "Send"),
    "support.sent": (
        "工单已提交，我们会尽快回复。",
        "Your ticket is in. We will answer as soon as we can.",
    ),
    "support.my_tickets": ("我的工单", "My tickets"),
    "support.no_tickets": ("您还没有提交过工单。", "You have not opened any ticket."),
    "support.ticket_no": ("工单 #{id}", "Ticket #{id}"),
    "support.status.open": ("处理中", "Open"),
    "support.status.answered": ("已回复", "Answered"),
    "support.status.closed": ("已关闭", "Closed"),
    "support.subject_missing": ("请填写主题。", "Please enter a subject."),
    "support.subject_too_long": (
        "主题太长（最多 {max} 个字符）。",
        "The subject is too long ({max} characters at most).",
    ),
    "support.message_too_short": (
        "请再多描述一些（至少 10 个字符）。",
        "Please tell us a bit more (10 characters at least).",
    ),
    "support.message_too_long": (
        "问题描述太长（最多 {max} 个字符）。",
        "The message is too long ({max} characters at most).",
    ),
    "support.order_unknown": ("找不到这个订单。", "That order was not found."),
    "support.order_label": ("订单 #{id}", "Order #{id}"),
}
