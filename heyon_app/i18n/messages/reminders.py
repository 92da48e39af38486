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
    "reminder.prefs.title": ("续费提醒", "Renewal reminders"),
    "reminder.prefs.intro": (
        "号码到期前和到期后，我们这样提醒您：",
        "Before and after a number ends, we remind you:",
    ),
    "reminder.prefs.channels": ("提醒方式", "How"),
    "reminder.prefs.email": ("邮件", "By email"),
    "reminder.prefs.sms": ("短信", "By SMS"),
    "reminder.prefs.steps": ("提醒时间", "When"),
    "reminder.prefs.7d": ("到期前 7 天", "7 days before the end"),
    "reminder.prefs.3d": ("到期前 3 天", "3 days before the end"),
    "reminder.prefs.1d": ("到期前 1 天", "1 day before the end"),
    "reminder.prefs.lapsed": ("到期后第二天", "The day after it ended"),
    "reminder.prefs.saved": ("已保存", "Saved"),
    "reminder.prefs.unknown": ("没有这个提醒选项。", "There is no such reminder option."),
}
