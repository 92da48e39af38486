"""`python -m heyon_app.doctor`: the health checks of `GET /api/health`, as a list an operator
can act on. Exit code 0 when all pass, 1 otherwise."""

from __future__ import annotations

import sys

from heyon_app.services import health


def report(checks: list[health.Check]) -> str:
    lines = []
    for check in checks:
        if check.ok:
            lines.append(f"ok    {check.name}")
            continue
        lines.append(f"FAIL  {check.name}: {check.reason}")
        if check.advice:
            lines.append(f"      → {check.advice}")
    failed = sum(not c.ok for c in checks)
    lines.append("all checks passed" if not failed else f"{failed} check(s) failed")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv:
        print("usage: python -m heyon_app.doctor", file=sys.stderr)
        return 2
    checks = health.run_checks()
    print(report(checks))
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
