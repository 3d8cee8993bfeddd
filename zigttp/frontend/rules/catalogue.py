"""Every analyzer rule: stable code, message, fix hint, and the profiles it applies to.

Codes never change meaning once released; `docs/check.md` lists them. ZT1xx are the seed's
subset (errors in the `portable` profile; ZT107/ZT108 in every profile), ZT2xx warnings
(ZT201, ZT204 in every profile; ZT202, ZT203 in `portable`), ZT3xx `portable`'s additional
errors. In the portable profile ZT203 (`==`) is an error rather than a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from zigttp.diagnostics import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    hint: str
    severity: Severity = "error"
    strict_only: bool = False


def _strict(code: str, message: str, hint: str) -> Rule:
    return Rule(code, message, hint, "error", strict_only=True)


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("ZT101", "'var' is not supported", "use let or const"),
        Rule("ZT102", "'with' is not supported", "read the object's properties explicitly"),
        Rule(
            "ZT103",
            "array holes are not supported",
            "write the missing element explicitly, e.g. [1, undefined, 3]",
        ),
        Rule(
            "ZT104",
            "direct eval is not supported",
            "parse data with JSON.parse; indirect (0, eval)(code) is allowed",
        ),
        Rule(
            "ZT105",
            "boxing constructors (new Number/String/Boolean) are not supported",
            "use the primitive conversion: Number(x), String(x), Boolean(x)",
        ),
        Rule(
            "ZT106",
            "only Date.now() is supported",
            "use Date.now() for a timestamp (milliseconds since the epoch)",
        ),
        Rule(
            "ZT107",
            "no `handler` is defined",
            "define `function handler(request) { ... }` or `export default { fetch(request) { ... } }`",
        ),
        Rule(
            "ZT108",
            "this name is reserved for the runtime's compiled JSX templates",
            "rename the identifier",
        ),
        Rule(
            "ZT201",
            "handler writes module-level state",
            "module state is per runtime, not shared across requests or pool slots; "
            "keep it in the request or use zigttp:cache",
            "warning",
        ),
        Rule("ZT202", "unused variable", "remove it, or prefix the name with `_`", "warning"),
        Rule("ZT203", "loose equality", "use === or !== (no type coercion)", "warning"),
        Rule(
            "ZT204",
            "unknown global",
            "declare it, import it, or check the spelling: it is neither a standard nor a zigttp "
            "global and will throw a ReferenceError when this line runs",
            "warning",
        ),
        _strict("ZT301", "'class' is not supported", "use plain objects and functions"),
        _strict("ZT302", "'this' is not supported", "pass the value as a parameter"),
        _strict("ZT303", "'new' is not supported", "use a factory function or a literal"),
        _strict("ZT304", "'while' is not supported", "use for...of over an array or range(n)"),
        _strict("ZT305", "'do...while' is not supported", "use for...of over an array or range(n)"),
        _strict("ZT306", "C-style 'for' is not supported", "use for (const i of range(n))"),
        _strict("ZT307", "'for...in' is not supported", "use for (const k of Object.keys(obj))"),
        _strict("ZT308", "'switch' is not supported", "use if/else or an object lookup"),
        _strict(
            "ZT309",
            "'try/catch' is not supported",
            "return a Result ({ok, value} / {ok: false, error}) instead",
        ),
        _strict(
            "ZT310",
            "'throw' is not supported",
            "return a Result ({ok: false, error}) or an error Response",
        ),
        _strict("ZT312", "'++'/'--' are not supported", "use x += 1 / x -= 1"),
        _strict("ZT313", "'null' is not supported", "use undefined"),
        _strict(
            "ZT314",
            "regular expressions are not supported",
            "use string methods (includes, startsWith, split, replaceAll)",
        ),
        _strict("ZT315", "'delete' is not supported", "build a new object without the key ({...rest})"),
    )
}
