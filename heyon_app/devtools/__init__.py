"""Local stand-ins for outside services (mail, Stripe) for `make run` and tests.

Production code never imports this package.
"""
