"""Renewal reminders the worker sends 7, 3 and 1 days before a line ends and after it lapsed."""

MESSAGES = {
    "reminder.7d.subject": (
        "您的 Heyon 号码 {number} 将在 7 天后到期",
        "Your Heyon number {number} ends in 7 days",
    ),
    "reminder.3d.subject": (
        "您的 Heyon 号码 {number} 将在 3 天后到期",
        "Your Heyon number {number} ends in 3 days",
    ),
    "reminder.1d.subject": (
        "您的 Heyon 号码 {number} 明天到期",
        "Your Heyon number {number} ends tomorrow",
    ),
    "reminder.lapsed.subject": (
        "您的 Heyon 号码 {number} 已到期",
        "Your Heyon number {number} has ended",
    ),
    "reminder.mail.body": (
        "您好！\n\n号码 {number}（{package}）的有效期到 {until}。{when}\n\n"
        "提前续费不会损失剩余天数，新周期从当前到期日顺延。点击续费：\n{link}\n\nHeyon",
        "Hello,\n\nYour number {number} ({package}) is valid until {until}. {when}\n\n"
        "Renewing early loses no days: the new period starts when the current one ends. "
        "Renew here:\n{link}\n\nHeyon",
    ),
    "reminder.7d.when": ("还有 7 天。", "That is 7 days from now."),
    "reminder.3d.when": ("还有 3 天。", "That is 3 days from now."),
    "reminder.1d.when": (
        "明天到期，到期后将无法通话和上网。",
        "That is tomorrow; after it calls and data stop.",
    ),
    "reminder.lapsed.when": (
        "号码已停止服务，续费后立即恢复。",
        "The line has stopped; renewing brings it back at once.",
    ),
    "reminder.sms": (
        "【Heyon】号码 {number} 有效期到 {until}。{when}续费：{link}",
        "[Heyon] Number {number} is valid until {until}. {when} Renew: {link}",
    ),
}
