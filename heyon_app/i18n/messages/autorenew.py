"""Auto-renew with a saved card: the dashboard's switch and the notice of a failed charge."""

MESSAGES = {
    "autorenew.title": ("自动续费", "Auto-renew"),
    "autorenew.status.on": ("已开启", "On"),
    "autorenew.status.off": ("未开启", "Off"),
    "autorenew.off_text": (
        "开启后，我们会在到期前一天用您保存的卡续订当前套餐，优惠照常适用。随时可以关闭。",
        "When on, we renew the current package with your saved card one day before the "
        "line ends; promotions apply as usual. You can switch it off at any time.",
    ),
    "autorenew.on_text": (
        "到期前一天，我们会用这张卡自动续订当前套餐，优惠照常适用。",
        "One day before the line ends we renew the current package with this card; "
        "promotions apply as usual.",
    ),
    "autorenew.switch_on": ("开启自动续费", "Switch on auto-renew"),
    "autorenew.save_card": ("保存卡片并开启", "Save card and switch on"),
    "autorenew.cancel": ("取消", "Cancel"),
    "autorenew.switch_off": ("关闭自动续费", "Switch off auto-renew"),
    "autorenew.card_hint": (
        "卡号只交给 Stripe，我们只保存卡的品牌和末四位。",
        "The card number goes only to Stripe; we keep only its brand and last four digits.",
    ),
    "autorenew.saved": ("已开启自动续费", "Auto-renew is on"),
    "autorenew.switched_off": ("已关闭自动续费", "Auto-renew is off"),
    "autorenew.error.not_saved": (
        "卡片没有保存成功，自动续费仍未开启。请重试。",
        "The card was not saved and auto-renew is still off. Please try again.",
    ),
    "autorenew.error.card": (
        "卡片无法保存：{message}",
        "The card could not be saved: {message}",
    ),
    "autorenew.mail.subject": (
        "Heyon 号码 {number} 自动续费未成功",
        "Auto-renew of your Heyon number {number} did not go through",
    ),
    "autorenew.mail.body": (
        "您好！\n\n我们尝试用您保存的卡（{card}）为号码 {number}（{package}）自动续费 {amount}，"
        "但没有成功：{why}\n\n号码有效期到 {until}。请点击链接手动续费，以免停机：\n{link}\n\n"
        "到期提醒会照常发送。\n\nHeyon",
        "Hello,\n\nWe tried to renew your number {number} ({package}) for {amount} with your "
        "saved card ({card}), but it did not go through: {why}\n\nThe number is valid until "
        "{until}. Renew by hand here so it does not stop:\n{link}\n\n"
        "Your renewal reminders carry on as usual.\n\nHeyon",
    ),
    "autorenew.sms": (
        "【Heyon】号码 {number} 自动续费未成功：{why}有效期到 {until}，请手动续费：{link}",
        "[Heyon] Auto-renew of number {number} did not go through: {why} Valid until "
        "{until}. Renew: {link}",
    ),
    "autorenew.why.declined": ("银行拒绝了这笔付款。", "your bank declined the payment."),
    "autorenew.why.authentication": (
        "您的银行要求您本人验证这笔付款。",
        "your bank wants you to confirm this payment yourself.",
    ),
    "autorenew.why.unavailable": (
        "这个套餐已无法自动续订。",
        "this package can no longer be renewed automatically.",
    ),
}
