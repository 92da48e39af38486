MESSAGES = {
    "page.activation.title": ("安装 eSIM", "Install your eSIM"),
    "page.device_check.title": ("手机是否支持 eSIM", "Does my phone support eSIM?"),
    "activation.not_found": ("找不到这个号码。", "This line was not found."),
    "activation.none": (
        "您没有待安装的 eSIM。",
        "You have no eSIM waiting to be installed.",
    ),
    "activation.installed": ("这个号码的 eSIM 已经安装。", "This eSIM is already installed."),
    "activation.scan": (
        "用要安装 eSIM 的手机扫描下面的二维码（请在另一台设备或打印件上显示）。",
        "Scan this code with the phone that gets the eSIM (show it on another screen or on paper).",
    ),
    "activation.qr_alt": ("eSIM 激活二维码", "eSIM activation QR code"),
    "activation.manual": ("无法扫码？手动输入", "Cannot scan? Enter it by hand"),
    "activation.smdp": ("SM-DP+ 地址", "SM-DP+ address"),
    "activation.code": ("激活码", "Activation code"),
    "activation.full_code": ("完整激活码", "Full activation code"),
    "activation.iphone": ("iPhone 安装步骤", "On an iPhone"),
    "activation.iphone.1": (
        "连接 Wi-Fi，打开「设置」→「蜂窝网络」→「添加 eSIM」。",
        "Connect to Wi-Fi, open Settings → Cellular (Mobile Data) → Add eSIM.",
    ),
    "activation.iphone.2": (
        "选择「使用二维码」，扫描上面的二维码；或选择「手动输入详细信息」，输入 SM-DP+ 地址和激活码。",
        "Choose Use QR Code and scan the code above, or Enter Details Manually with the "
        "SM-DP+ address and activation code.",
    ),
    "activation.iphone.3": (
        "为新号码设置标签（如「Heyon」），选择默认号码与蜂窝数据线路。",
        "Label the new line (e.g. “Heyon”) and choose the default line and cellular data line.",
    ),
    "activation.iphone.4": (
        "几分钟后状态栏显示信号即安装完成。",
        "After a few minutes the status bar shows signal: you are done.",
    ),
    "activation.android": ("Android 安装步骤", "On Android"),
    "activation.android.1": (
        "连接 Wi-Fi，打开「设置」→「网络和互联网」（三星：「连接」→「SIM 卡管理器」）。",
        "Connect to Wi-Fi, open Settings → Network & internet (Samsung: Connections → "
        "SIM manager).",
    ),
    "activation.android.2": (
        "点按「SIM 卡」旁的「+」或「添加 eSIM」，选择「扫描二维码」。",
        "Tap + next to SIMs or Add eSIM, then Scan QR code.",
    ),
    "activation.android.3": (
        "无法扫码时选择「手动输入」，粘贴完整激活码。",
        "If you cannot scan, choose Enter code manually and paste the full activation code.",
    ),
    "activation.android.4": (
        "启用新号码，并在「移动数据」中选择 Heyon。",
        "Turn the new line on and pick Heyon under Mobile data.",
    ),
    "activation.check_device": ("先检查手机是否支持 eSIM", "First check your phone supports eSIM"),
    "device.query": ("手机型号", "Phone model"),
    "device.query_hint": (
        "例如 iPhone 15、Pixel 8、Galaxy S24",
        "e.g. iPhone 15, Pixel 8, Galaxy S24",
    ),
    "device.part_number": ("型号号码（选填）", "Part number (optional)"),
    "device.submit": ("检查", "Check"),
    "device.none": (
        "没有找到这个型号。请在「设置」中查看手机是否有「添加 eSIM」选项，或联系客服。",
        "We do not know this model. Look for “Add eSIM” in your phone's settings, or ask support.",
    ),
    "device.yes": ("支持 eSIM", "Supports eSIM"),
    "device.no": ("不支持 eSIM", "No eSIM"),
    "device.need_part_number": ("取决于购买地区", "Depends on where it was sold"),
    "device.bad_part_number": (
        "型号号码格式不对，应类似 MTP03CH/A。",
        "That part number looks wrong; it reads like MTP03CH/A.",
    ),
    "device.depends_edition": (
        "国行版不支持，海外版支持",
        "Not the mainland China edition; other editions do",
    ),
    "device.why_part_number": (
        "大多数在中国大陆销售的 iPhone（型号号码以 CH/A 结尾）没有 eSIM。请在「设置」→「通用」→「关于本机」中查看「型号号码」（点按一下显示以 M 开头的号码），填入上面的输入框后再检查。",
        "Most iPhones sold in mainland China (part number ending in CH/A) have no eSIM. "
        "Find the part number in Settings → General → About (tap Model Number to show the "
        "one starting with M), enter it above and check again.",
    ),
    "device.region": ("地区代码 {region}", "Region code {region}"),
    "device.buy": ("支持！选择套餐", "Supported! Choose a package"),
}
