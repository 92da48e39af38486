MESSAGES = {
    "page.coverage.title": ("漫游覆盖", "Roaming coverage"),
    "coverage.query": ("国家或地区", "Country or region"),
    "coverage.query_hint": ("例如 日本、香港、USA", "e.g. Japan, 香港, USA"),
    "coverage.submit": ("查询", "Search"),
    "coverage.none": (
        "没有找到这个国家或地区，请换一种写法（中文或英文）。",
        "No country or region by that name. Try another spelling, in Chinese or English.",
    ),
    "coverage.home": (
        "这是 Heyon 的本地网络，所有套餐都可使用，无需漫游。",
        "This is Heyon's home network: every package works, no roaming needed.",
    ),
    "coverage.covered": ("可以漫游，以下套餐覆盖：", "Roaming works with these packages:"),
    "coverage.not_covered": (
        "暂不支持在此漫游。",
        "Roaming is not available here yet.",
    ),
}
