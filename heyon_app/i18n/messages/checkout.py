MESSAGES = {
    "page.renew.title": ("续费", "Renew"),
    "page.buy.title": ("购买 eSIM", "Buy an eSIM"),
    "page.result.title": ("支付结果", "Payment result"),
    "page.receipt.title": ("收据", "Receipt"),
    "checkout.test_mode": (
        "测试支付模式 —— 不会产生真实扣款。",
        "Test payments — no real money.",
    ),
    "checkout.choose_package": ("选择套餐", "Choose a package"),
    "checkout.review": ("核对订单", "Check your order"),
    "checkout.line": ("号码", "Number"),
    "checkout.new_line": ("新 eSIM（付款后开通）", "New eSIM (issued after payment)"),
    "checkout.package": ("套餐", "Package"),
    "checkout.period": ("周期", "Period"),
    "checkout.period.month": ("1 个月", "1 month"),
    "checkout.period.quarter": ("3 个月", "3 months"),
    "checkout.period.year": ("12 个月", "12 months"),
    "checkout.current_expiry": ("当前有效期至", "Currently valid until"),
    "checkout.new_expiry": ("续费后有效期至", "Valid until after payment"),
    "checkout.price": ("价格", "Price"),
    "checkout.promotion": ("优惠", "Promotion"),
    "checkout.no_promotion": ("暂无可用优惠", "No promotion applies"),
    "checkout.total": ("应付总额", "Total"),
    "checkout.method": ("支付方式", "Payment method"),
    "checkout.method.card": ("银行卡（信用卡/借记卡）", "Card (credit or debit)"),
    "checkout.method.alipay": ("支付宝", "Alipay"),
    "checkout.method.wechat_pay": ("微信支付", "WeChat Pay"),
    "checkout.card_hint": (
        "卡号由 Stripe 安全处理，不经过 Heyon 服务器。",
        "Your card details go to Stripe directly, never to Heyon's servers.",
    ),
    "checkout.alipay_hint": (
        "点击支付后将跳转到支付宝完成付款，然后返回本页。",
        "You will be taken to Alipay to pay, then brought back here.",
    ),
    "checkout.wechat_hint": (
        "请用微信扫描二维码付款。若您正在手机上浏览，请在另一台设备上打开本页扫码，或截图后在微信中识别。",
        "Scan the QR code with WeChat. On a phone, open this page on another device to scan it.",
    ),
    "checkout.wechat_scan": ("请用微信扫码支付", "Scan with WeChat to pay"),
    "checkout.wechat_waiting": ("等待付款确认…", "Waiting for the payment…"),
    "checkout.pay": ("支付 {amount}", "Pay {amount}"),
    "checkout.paying": ("正在处理…", "Processing…"),
    "checkout.error.no_package": ("该套餐不存在或已下架。", "This package is not available."),
    "checkout.error.no_line": ("找不到该号码。", "This number was not found."),
    "checkout.error.no_order": ("找不到该订单。", "This order was not found."),
    "checkout.error.method": ("请选择支付方式。", "Please choose a payment method."),
    "checkout.error.busy": (
        "支付正在准备中，请稍候再试。",
        "Your payment is being prepared; please try again in a moment.",
    ),
    "checkout.error.order_closed": (
        "该订单已关闭，请重新下单。",
        "This order is closed; please start again.",
    ),
    "checkout.error.already_paid": ("该订单已付款。", "This order is already paid."),
    "checkout.error.gateway": (
        "暂时无法连接支付服务，未扣款。请稍后再试。",
        "The payment service cannot be reached; nothing was charged. Please try again later.",
    ),
    "checkout.error.unavailable": (
        "系统暂时繁忙，未扣款。请稍等一分钟后重试。",
        "We cannot take your order right now; nothing was charged. Please try again in a minute.",
    ),
    "checkout.error.out_of_date": (
        "订单刚刚有变动，未扣款。请核对当前的订单后再支付。",
        "Your order has just changed and nothing was charged. Please check it and pay again.",
    ),
    "checkout.error.card_declined": (
        "银行卡被拒绝，未扣款。请换一张卡或选择其他支付方式。",
        "Your card was declined; nothing was charged. Try another card or payment method.",
    ),
    "checkout.error.authentication": (
        "银行卡验证未通过，未扣款。请重试或换一张卡。",
        "The card check (3-D Secure) failed; nothing was charged. Try again or use another card.",
    ),
    "checkout.error.card_incomplete": (
        "请填写完整的卡号、有效期和安全码。",
        "Please enter the full card number, expiry date and security code.",
    ),
    "checkout.error.payment": (
        "付款未完成，未扣款：{message}",
        "The payment did not go through and nothing was charged: {message}",
    ),
    "result.paid": ("支付成功 —— 有效期至 {until}", "Paid — valid until {until}"),
    "result.paid_new": (
        "支付成功 —— 您的新 eSIM 已开通，有效期至 {until}",
        "Paid — your new eSIM is ready, valid until {until}",
    ),
    "result.processing": (
        "付款处理中，确认后会通过邮件和短信通知您。您可以离开本页。",
        "Your payment is being processed. We will email and text you once it is confirmed; you may leave this page.",
    ),
    "result.failed": (
        "付款未成功，未扣款，有效期未变。您可以换一种方式重试。",
        "The payment did not succeed; nothing was charged and your validity is unchanged. You can try again.",
    ),
    "result.canceled": (
        "付款已取消，未扣款。需要时可以重新下单。",
        "The payment was canceled; nothing was charged. You can order again any time.",
    ),
    "result.refunded": (
        "该订单已退款，所购有效期已收回。",
        "This order was refunded; the validity it bought was taken back.",
    ),
    "result.disputed": (
        "该付款正在争议中，所购有效期暂时收回。",
        "This payment is disputed; the validity it bought is withheld meanwhile.",
    ),
    "result.retry": ("重新支付", "Try again"),
    "result.activate": ("安装 eSIM", "Install your eSIM"),
    "result.to_dashboard": ("返回首页", "Back to home"),
    "result.to_orders": ("查看订单", "See my orders"),
    "result.receipt": ("查看收据", "View receipt"),
    "orders.empty": ("还没有订单。", "No orders yet."),
    "orders.order": ("订单号", "Order"),
    "orders.date": ("日期", "Date"),
    "orders.status": ("状态", "Status"),
    "orders.amount": ("金额", "Amount"),
    "orders.method": ("方式", "Method"),
    "orders.receipt_number": ("收据编号", "Receipt no."),
    "orders.status.pending": ("待支付", "Awaiting payment"),
    "orders.status.processing": ("处理中", "Processing"),
    "orders.status.paid": ("已付款", "Paid"),
    "orders.status.fulfilled": ("已完成", "Completed"),
    "orders.status.failed": ("付款失败", "Payment failed"),
    "orders.status.canceled": ("已取消", "Canceled"),
    "orders.status.expired": ("已过期", "Expired"),
    "orders.status.refunded": ("已退款", "Refunded"),
    "orders.status.disputed": ("有争议", "Disputed"),
    "orders.renew": ("续费", "Renew"),
    "receipt.heading": ("Heyon 付款收据", "Heyon payment receipt"),
    "receipt.paid_at": ("付款时间", "Paid on"),
    "receipt.valid_until": ("有效期至", "Valid until"),
    "receipt.print": ("打印", "Print"),
    "receipt.not_paid": (
        "该订单尚未付款，暂无收据。",
        "This order is not paid; there is no receipt yet.",
    ),
    "checkout.mail.subject": (
        "Heyon 付款成功 - 收据 {receipt}",
        "Heyon payment received - receipt {receipt}",
    ),
    "checkout.mail.body": (
        "您好，\n\n我们已收到您的付款，谢谢！\n\n收据编号：{receipt}\n订单号：{order}\n"
        "号码：{number}\n套餐：{package}\n金额：{amount}\n有效期至：{until}\n\n"
        "查看和打印收据：{link}\n\nHeyon 合一卡",
        "Hello,\n\nWe received your payment, thank you.\n\nReceipt: {receipt}\nOrder: {order}\n"
        "Number: {number}\nPackage: {package}\nAmount: {amount}\nValid until: {until}\n\n"
        "View and print the receipt: {link}\n\nHeyon",
    ),
    "checkout.sms": (
        "【Heyon】已收到付款 {amount}，号码 {number} 有效期至 {until}。收据 {receipt}",
        "Heyon: payment {amount} received; {number} is valid until {until}. Receipt {receipt}",
    ),
    "checkout.mail.refunded.subject": (
        "Heyon 订单 {order} 已退款",
        "Heyon order {order} refunded",
    ),
    "checkout.mail.refunded.body": (
        "您好，\n\n订单 {order}（收据 {receipt}）的付款 {amount} 已退回。\n"
        "该订单购买的有效期已收回，号码 {number} 现有效期至：{until}\n\n"
        "查看订单：{link}\n\nHeyon 合一卡",
        "Hello,\n\nThe payment of {amount} for order {order} (receipt {receipt}) was refunded.\n"
        "The validity it bought was taken back; {number} is now valid until {until}.\n\n"
        "Your orders: {link}\n\nHeyon",
    ),
    "checkout.mail.disputed.subject": (
        "Heyon 订单 {order} 的付款有争议",
        "Heyon order {order}: payment disputed",
    ),
    "checkout.mail.disputed.body": (
        "您好，\n\n订单 {order}（收据 {receipt}）的付款 {amount} 已被发卡行提出争议。\n"
        "争议期间该订单购买的有效期暂时收回，号码 {number} 现有效期至：{until}\n"
        "如有疑问请联系客服。\n\n查看订单：{link}\n\nHeyon 合一卡",
        "Hello,\n\nThe payment of {amount} for order {order} (receipt {receipt}) is disputed "
        "with your bank.\nWhile it is, the validity it bought is withheld; {number} is now valid "
        "until {until}. Contact support with any question.\n\nYour orders: {link}\n\nHeyon",
    ),
    "checkout.mail.fulfilled.subject": (
        "Heyon 订单 {order} 的争议已解决",
        "Heyon order {order}: dispute resolved",
    ),
    "checkout.mail.fulfilled.body": (
        "您好，\n\n订单 {order}（收据 {receipt}）的付款争议已解决，所购有效期已恢复。\n"
        "号码 {number} 有效期至：{until}\n\n查看订单：{link}\n\nHeyon 合一卡",
        "Hello,\n\nThe dispute about order {order} (receipt {receipt}) is resolved and the "
        "validity it bought is back.\n{number} is valid until {until}.\n\n"
        "Your orders: {link}\n\nHeyon",
    ),
}
