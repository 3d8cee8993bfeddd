"""A user-defined module: `import { quote, charge } from "zigttp:billing"` in a handler.

Plain Python functions; arguments and results are JSON values. A wrong argument type is a JS
TypeError (from the annotations), any other exception a JS Error carrying the message.
"""

from __future__ import annotations

import zigttp

PRICES = {"basic": 900, "pro": 2900}  # cents


@zigttp.native("zigttp:billing")
def quote(plan: str, seats: int = 1) -> dict:
    if plan not in PRICES:
        raise ValueError(f"unknown plan {plan!r}")
    return {"plan": plan, "seats": seats, "total": PRICES[plan] * seats, "currency": "EUR"}


@zigttp.native("zigttp:billing")
def charge(customer: str, cents: int) -> dict:
    if cents <= 0:
        raise ValueError("amount must be positive")
    return {"customer": customer, "charged": cents, "status": "paid"}
