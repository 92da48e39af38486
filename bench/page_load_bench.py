"""Cold page loads in headless Chromium, Heyon beside a blank Reflex app (issue 10, bench 1).

Builds and serves, in one run, a blank Reflex app (`reflex init --template blank` in a
temporary folder) and Heyon, both `reflex run --env prod --single-port` on loopback and
both up at once, then loads each page ROUNDS times, the pages taking turns, in a new
browser context (an empty cache: a first visit) at 1280 x 800 and prints the medians:

- first paint: the browser's first-contentful-paint;
- ws open: the event websocket's `open`;
- hydrate: when the page sent Reflex's hydrate (it rides in the socket.io CONNECT packet,
  sent once the app has mounted); 1st delta: when the first state update came back;
- ready: the page usable with its data: the blank app's websocket open; the login form's
  submit button enabled (Reflex hydrated); the dashboard's line card showing its days left;
- chart: the dashboard's usage chart drawn with its 30 bars (plain SVG, with the data; the
  frame after the card, see components/deferred.py);
- JS KiB, CSS KiB: JavaScript and CSS decoded (uncompressed) by the page; requests: HTTP
  requests made;
- ws KiB: bytes the page received over the websocket until then.

The dashboard is loaded twice per round: as served (its data asked for over HTTP by the
page's head, components/preload.py) and with that request refused, the websocket alone.

The ratio column divides Heyon's "ready" by the blank app's websocket open, and its JS by
the blank app's JS (goals: dashboard data within 1.5x, JS within 1.2x). The same ratio is
also taken round by round, and printed as its median and quartiles.

With `--compare DIR`, the Heyon checkout in DIR (say a `git worktree` of another commit)
is served too and its dashboard loaded in the same rounds: a change's effect measured
against the build before it, side by side, where two runs a few minutes apart on this
machine differ by more than the change.

    PYTHONPATH=. .venv/bin/python bench/page_load_bench.py [--rounds 15] [--compare DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import tempfile
from pathlib import Path

from bench import _harness
from heyon_app import routes

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Timestamps the page keeps for the bench: when the event websocket opened, and when each
# mark's predicate over the DOM first held (a MutationObserver, so no polling delay).
_PROBE = """
(() => {
  const marks = MARKS;
  window.__marks = {};
  const check = () => {
    for (const [name, holds] of Object.entries(marks)) {
      if (window.__marks[name] === undefined && holds()) window.__marks[name] = performance.now();
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener("open", () => { window.__wsOpen ??= performance.now(); check(); });
    // Reflex sends the hydrate in the socket.io CONNECT packet ("40..."), once the app has
    // mounted; the state's first delta comes back as an event packet ("42...").
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      if (typeof data === "string" && data.startsWith("40")) window.__hydrateSent ??= performance.now();
      return send(data);
    };
    ws.addEventListener("message", (e) => {
      if (String(e.data).startsWith("42")) window.__firstDelta ??= performance.now();
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
  new MutationObserver(check).observe(document, { subtree: true, childList: true,
    characterData: true, attributes: true });
})();
"""

_FIGURES = """
() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const decoded = (ext) => performance.getEntriesByType("resource")
    .filter((r) => new URL(r.name).pathname.endsWith(ext))
    .reduce((sum, r) => sum + r.decodedBodySize, 0);
  return { paint: paint ? paint.startTime : null, ws: window.__wsOpen ?? null,
           hydrate: window.__hydrateSent ?? null, delta: window.__firstDelta ?? null,
           ...window.__marks, js: decoded(".js"), css: decoded(".css") };
}
"""

# JavaScript predicates over the DOM. "ready": the page is usable and shows what it is
# for (the blank app: its websocket is open; the login form: its submit button enabled,
# which Reflex does once hydrated; the dashboard: the line's card with its data).
# "chart": the dashboard's usage chart drawn with its 30 bars.
READY_BLANK = {"ready": "() => !!window.__wsOpen"}
READY_LOGIN = {
    "ready": "() => { const b = document.querySelector('form button[type=submit]');"
    " return !!b && !b.disabled; }"
}
READY_DASHBOARD = {
    "ready": "() => { const d = document.querySelector('#days-left');"
    " return !!d && /\\d/.test(d.textContent); }",
    "chart": "() => document.querySelectorAll('#usage-chart .heyon-chart-bar').length === 30",
}


def _load(browser, url: str, marks: dict[str, str], init: str = "", preload: bool = True) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    if init:
        context.add_init_script(init)
    if not preload:
        # As when the backend is on another origin than the pages: the websocket alone.
        context.route(f"**{routes.DASHBOARD_PRELOAD}", lambda route: route.abort())
    context.add_init_script(
        _PROBE.replace("MARKS", "{" + ",".join(f"{k}: {v}" for k, v in marks.items()) + "}")
    )
    page = context.new_page()
    requests: list[str] = []
    received: list[int] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda f: received.append(len(f.encode() if isinstance(f, str) else f)),
        ),
    )
    page.goto(url)
    names = json.dumps(list(marks))
    page.wait_for_function(
        f"() => {names}.every((n) => window.__marks[n] !== undefined)"
        " && window.__firstDelta !== undefined",
        timeout=30_000,
    )
    figures = page.evaluate(_FIGURES)
    figures["requests"] = len(requests)
    figures["ws_bytes"] = sum(received)
    context.close()
    return figures


def _medians(runs: list[dict]) -> dict:
    return {
        key: statistics.median(r[key] for r in runs)
        for key in (
            "paint",
            "ws",
            "hydrate",
            "delta",
            "ready",
            "chart",
            "js",
            "css",
            "requests",
            "ws_bytes",
        )
        if all(key in r for r in runs)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--compare", type=Path, help="another Heyon checkout to serve beside")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds: at least 2 (the per-round ratios are printed with quartiles)")

    _harness.use_scratch_database()
    _harness.prepare_database()
    # A customer with data: 2 lines, 90 days of usage, the more-data advice shown.
    token = _harness.customer(lines=2, days=90, daily_mb=900, tag="1")
    from heyon_app.state.base import SESSION_KEY

    logged_in = f"localStorage.setItem({json.dumps(SESSION_KEY)}, {json.dumps(token)});"

    from playwright.sync_api import sync_playwright

    pages = (
        ("blank app /", "blank", "/", READY_BLANK, "", True),
        ("Heyon /login", "heyon", "/login", READY_LOGIN, "", True),
        ("Heyon dashboard (logged in, data)", "heyon", "/", READY_DASHBOARD, logged_in, True),
        ("  same, websocket only", "heyon", "/", READY_DASHBOARD, logged_in, False),
    )
    if args.compare:
        pages += (("  same, from --compare", "compare", "/", READY_DASHBOARD, logged_in, True),)
    runs: dict[str, list[dict]] = {name: [] for name, *_ in pages}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        blank = _harness.blank_app(Path(tmp))
        roots = {"blank": blank, "heyon": _harness.ROOT}
        if args.compare:
            roots["compare"] = args.compare.resolve()
        with contextlib.ExitStack() as servers:
            base = {}
            for app, root in roots.items():
                port = _harness.free_port()
                servers.enter_context(_harness.served(root, port=port))
                base[app] = f"http://127.0.0.1:{port}"
            for _, app, path, marks, init, preload in pages:
                # A server's first answers are slower.
                _load(browser, base[app] + path, marks, init, preload)
            # Round by round, each page in turn: whatever else the machine is doing weighs on
            # the blank app and on Heyon alike, so their ratio holds still between runs.
            for _ in range(args.rounds):
                for name, app, path, marks, init, preload in pages:
                    runs[name].append(_load(browser, base[app] + path, marks, init, preload))
        browser.close()
    rows = [(name, _medians(runs[name])) for name, *_ in pages]

    base_ws, base_js = rows[0][1]["ws"], rows[0][1]["js"]
    print(f"medians of {args.rounds} cold loads, 1280 x 800, loopback, production builds")
    print(
        f"{'page':34} {'paint ms':>8} {'ws open':>8} {'hydrate':>8} {'1st delta':>9}"
        f" {'ready ms':>8} {'chart ms':>8}"
        f" {'JS KiB':>7} {'CSS KiB':>7} {'reqs':>5} {'ws KiB':>7} {'ready/blank ws':>14} {'JS/blank':>8}"
    )
    for name, m in rows:
        chart = f"{m['chart']:8.0f}" if "chart" in m else f"{'-':>8}"
        print(
            f"{name:34} {m['paint'] or 0:8.0f} {m['ws']:8.0f} {m['hydrate']:8.0f}"
            f" {m['delta']:9.0f} {m['ready']:8.0f} {chart}"
            f" {m['js'] / 1024:7.0f} {m['css'] / 1024:7.0f} {m['requests']:5.0f} {m['ws_bytes'] / 1024:7.1f}"
            f" {m['ready'] / base_ws:13.2f}x {m['js'] / base_js:7.2f}x"
        )
    for name, m in rows[2:]:
        print(f"{name.strip()}: chart drawn / blank ws open: {m['chart'] / base_ws:.2f}x")
    # Each round's own ratio: the blank app's load and Heyon's are a second apart, so a
    # machine that slows down for a while weighs on both sides of it.
    blank = runs[pages[0][0]]
    for name, *_ in pages[1:]:
        per_round = sorted(r["ready"] / b["ws"] for r, b in zip(runs[name], blank, strict=True))
        low, mid, high = statistics.quantiles(per_round, n=4)
        print(
            f"{name.strip()}: ready / blank ws open, per round: {mid:.2f}x ({low:.2f}-{high:.2f}x)"
        )


if __name__ == "__main__":
    main()
