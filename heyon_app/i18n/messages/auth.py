MESSAGES = {
    "auth.login.title": ("登录", "Log in"),
    "auth.login.submit": ("登录", "Log in"),
    "auth.login.no_account": ("还没有账户？立即注册", "No account yet? Register"),
    "auth.login.forgot": ("忘记密码？", "Forgot password?"),
    "auth.register.title": ("注册 Heyon 账户", "Create your Heyon account"),
    "auth.register.submit": ("注册", "Register"),
    "auth.register.have_account": ("已有账户？登录", "Already registered? Log in"),
    "auth.register.password_hint": (
        "至少 10 个字符，不能是常见密码，也不能包含邮箱用户名。",
        "At least 10 characters, not a common password, and not containing your email name.",
    ),
    "auth.email": ("邮箱", "Email"),
    "auth.phone": ("手机号", "Mobile number"),
    "auth.password": ("密码", "Password"),
    "auth.password_repeat": ("再次输入密码", "Repeat password"),
    "auth.current_password": ("当前密码", "Current password"),
    "auth.new_password": ("新密码", "New password"),
    "auth.email_invalid": ("请输入有效的邮箱地址。", "Please enter a valid email address."),
    "auth.phone_invalid": (
        "请输入有效的手机号（6–15 位数字，可带 +）。",
        "Please enter a valid mobile number (6–15 digits, + allowed).",
    ),
    "auth.email_taken": (
        "该邮箱已注册，请直接登录。",
        "This email is already registered. Please log in.",
    ),
    "auth.passwords_differ": ("两次输入的密码不一致。", "The two passwords do not match."),
    "auth.bad_credentials": ("邮箱或密码不正确。", "Wrong email or password."),
    "auth.throttled": (
        "尝试次数过多，请 {seconds} 秒后再试。",
        "Too many attempts. Please try again in {seconds} seconds.",
    ),
    "auth.current_password_wrong": ("当前密码不正确。", "The current password is wrong."),
    "auth.password_changed": (
        "密码已修改，其他设备上的登录已全部退出。",
        "Your password has been changed, and you are logged out on every other device.",
    ),
    "auth.change_password.title": ("修改密码", "Change password"),
    "auth.forgot.title": ("找回密码", "Reset your password"),
    "auth.forgot.explain": (
        "输入注册邮箱，我们会发送一个 30 分钟内有效的重置链接。",
        "Enter your email and we will send a reset link valid for 30 minutes.",
    ),
    "auth.forgot.submit": ("发送重置链接", "Send reset link"),
    "auth.forgot.sent": (
        "如果该邮箱已注册，重置链接已发送，请查收邮件（30 分钟内有效）。",
        "If this email is registered, a reset link is on its way (valid for 30 minutes).",
    ),
    "auth.forgot.back": ("返回登录", "Back to log in"),
    "auth.reset.title": ("设置新密码", "Set a new password"),
    "auth.reset.submit": ("保存新密码", "Save new password"),
    "auth.reset.done": (
        "密码已重置，请用新密码登录。",
        "Your password is reset. Please log in with it.",
    ),
    "auth.reset_link_invalid": (
        "重置链接无效、已过期或已使用，请重新申请。",
        "This reset link is invalid, expired or already used. Please request a new one.",
    ),
    "auth.reset.mail_subject": ("Heyon 密码重置", "Reset your Heyon password"),
    "auth.reset.mail_body": (
        "您好，\n\n请在 30 分钟内打开以下链接设置新密码（仅可使用一次）：\n{link}\n\n如果这不是您本人的操作，请忽略此邮件。\n\nHeyon",
        "Hello,\n\nOpen this link within 30 minutes to set a new password (it works once):\n{link}\n\nIf you did not ask for this, ignore this email.\n\nHeyon",
    ),
    "auth.mail_failed": (
        "邮件暂时无法发送，请稍后再试。",
        "We could not send the email right now. Please try again later.",
    ),
    "password.too_short": (
        "密码至少需要 10 个字符。",
        "The password needs at least 10 characters.",
    ),
    "password.too_long": (
        "密码太长（最多 256 个字符）。",
        "The password is too long (256 characters at most).",
    ),
    "password.too_common": (
        "这个密码太常见，容易被猜到，请换一个。",
        "This password is too common and easy to guess. Please choose another.",
    ),
    "password.contains_email": (
        "密码不能包含邮箱用户名。",
        "The password must not contain the name part of your email.",
    ),
}
