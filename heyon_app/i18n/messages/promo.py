MESSAGES = {
    # Why the winning promotion applies (review page, receipt, admin preview).
    "promo.why.first_month_free": (
        "新用户首月免费：这是您账户的第一个月套餐，且手机号已验证。",
        "New customer: your account's first monthly package is free (number verified).",
    ),
    "promo.why.renewal_discount": (
        "老用户续费优惠：您之前已有付费订单。",
        "Returning customer: you have paid for an order before.",
    ),
    "promo.why.promo_code": ("您输入的优惠码。", "The promo code you entered."),
    # Why a promotion does not apply (admin preview).
    "promo.reason.inactive": ("已关闭", "Switched off"),
    "promo.reason.not_started": ("尚未开始", "Not started yet"),
    "promo.reason.ended": ("已结束", "Ended"),
    "promo.reason.package": ("不适用于该套餐", "Not for this package"),
    "promo.reason.period": ("不适用于该周期", "Not for this period"),
    "promo.reason.used_up": ("名额已用完", "All redemptions used"),
    "promo.reason.customer_limit": ("该用户已用满次数", "This customer's limit is reached"),
    "promo.reason.not_monthly": ("仅限月套餐", "Monthly packages only"),
    "promo.reason.not_new": ("仅限新用户", "New customers only"),
    "promo.reason.phone_claimed": ("该手机号已享受过首月免费", "This number had its free month"),
    "promo.reason.phone_unverified": ("需先验证手机号", "Needs a verified mobile number"),
    "promo.reason.not_returning": ("仅限已有付费订单的用户", "Customers with a paid order only"),
    "promo.reason.code_needed": ("需输入优惠码", "Needs the code typed"),
    "promo.reason.nothing_off": ("没有优惠金额", "Takes nothing off"),
    "promo.reason.unknown_kind": ("未知的促销类型", "Unknown kind of promotion"),
    # A promo code typed on the review page.
    "promo.code.label": ("优惠码", "Promo code"),
    "promo.code.apply": ("使用", "Apply"),
    "promo.code.remove": ("移除优惠码", "Remove the code"),
    "promo.code.applied": ("优惠码 {code} 已使用。", "Promo code {code} applied."),
    "promo.code.unknown": (
        "优惠码无效，请检查后重新输入。",
        "This promo code is not valid. Please check it.",
    ),
    "promo.code.inactive": (
        "该优惠码目前不可用。",
        "This promo code cannot be used at the moment.",
    ),
    "promo.code.not_started": ("该优惠码尚未生效。", "This promo code is not valid yet."),
    "promo.code.expired": ("该优惠码已过期。", "This promo code has expired."),
    "promo.code.used_up": ("该优惠码的名额已用完。", "This promo code has been used up."),
    "promo.code.already_used": (
        "您已使用过该优惠码，无法再次使用。",
        "You have already used this promo code as often as allowed.",
    ),
    "promo.code.not_for_package": (
        "该优惠码不适用于所选套餐。",
        "This promo code does not apply to the chosen package.",
    ),
    "promo.code.better_offer": (
        "您已享有更优惠的价格，优惠码未使用。",
        "A better offer already applies, so the code was not used.",
    ),
    # Review page and receipt.
    "promo.applied": ("已享优惠", "Promotion applied"),
    "promo.list_price": ("原价", "List price"),
    "promo.discount": ("优惠金额", "Discount"),
    "promo.free_order": ("确认免费开通", "Confirm, free of charge"),
    "promo.free_hint": (
        "本订单金额为 0，无需付款。",
        "This order costs nothing: no payment needed.",
    ),
    "promo.error.free_month_claimed": (
        "该手机号已享受过首月免费，订单已取消，请重新选择。",
        "This number has already had its free month; the order was canceled. Please choose again.",
    ),
    "promo.error.free_no_payment": (
        "该订单金额为 0，无需付款。",
        "This order costs nothing: there is nothing to pay.",
    ),
    "checkout.method.free": ("免费（无需付款）", "Free (no payment)"),
    "promo.error.price_changed": (
        "价格刚刚有变化（现为 {total}），请核对后再支付。",
        "The price has just changed (now {total}). Please check it and pay again.",
    ),
    "promo.error.customer_kind": (
        "请选择新用户或老用户。",
        "Choose a new or a returning customer.",
    ),
    "promo.preview.new": ("新用户", "New customer"),
    "promo.preview.returning": ("老用户", "Returning customer"),
    "promo.error.not_free": ("该订单需要付款。", "This order needs a payment."),
    # Verifying a mobile number by SMS code (for the free month).
    "promo.phone.title": ("验证手机号，首月免费", "Verify your number: first month free"),
    "promo.phone.hint": (
        "新用户验证手机号后，第一个月套餐免费。每个手机号仅限一次。",
        "New customers get their first monthly package free once their mobile number is "
        "verified. Once per number.",
    ),
    "promo.phone.number": ("手机号", "Mobile number"),
    "promo.phone.send": ("发送验证码", "Send code"),
    "promo.phone.code": ("6 位验证码", "6-digit code"),
    "promo.phone.verify": ("验证", "Verify"),
    "promo.phone.sent": (
        "验证码已发送至 {phone}，10 分钟内有效。",
        "A code was sent to {phone}; it is valid for 10 minutes.",
    ),
    "promo.phone.verified": ("手机号已验证。", "Your number is verified."),
    "promo.phone.sms": (
        "【Heyon】您的验证码是 {code}，10 分钟内有效。请勿告诉他人。",
        "Heyon: your code is {code}, valid for 10 minutes. Do not share it.",
    ),
    "promo.phone.invalid": (
        "请输入正确的手机号（可带国家代码，如 +86）。",
        "Please enter a valid mobile number (a country code like +86 is fine).",
    ),
    "promo.phone.too_soon": (
        "验证码发送太频繁，请 {seconds} 秒后再试。",
        "A code was sent moments ago; try again in {seconds} seconds.",
    ),
    "promo.phone.too_many_codes": (
        "今天发送的验证码太多，请稍后再试。",
        "Too many codes were sent; please try again later.",
    ),
    "promo.phone.no_code": ("请先获取验证码。", "Please ask for a code first."),
    "promo.phone.bad_format": ("验证码是 6 位数字。", "The code is 6 digits."),
    "promo.phone.wrong": (
        "验证码错误，还可以再试 {left} 次。",
        "That code is wrong; {left} tries left.",
    ),
    "promo.phone.expired": (
        "验证码已过期，请重新获取。",
        "That code has expired; please ask for a new one.",
    ),
    "promo.phone.too_many": (
        "错误次数太多，该验证码已失效，请重新获取。",
        "Too many wrong tries: the code no longer works. Please ask for a new one.",
    ),
    "promo.phone.claimed": (
        "该手机号已享受过首月免费。",
        "This number has already had its free month.",
    ),
}
