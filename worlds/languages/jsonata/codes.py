"""JSONata's diagnostic codes. JSONata's own error code (``S0203``, ``T2001``, ...) is
kept in each message; ours group them by what the agent has to change."""

from ...diagnostics.codes import register

SYNTAX = register(
    "JSONATA1001", "syntax error",
    """JSONata could not parse the expression (its codes S0101-S0402). The
diagnostic points at the token where parsing stopped. Common causes: a bracket
or brace left open, `=` written as `==` (JSONata compares with a single `=`),
a string in double quotes closed by a single one, or a comma after the last
item of an object or array.""",
    'orders[status == "paid"]',
    'orders[status = "paid"]',
)
TYPE = register(
    "JSONATA1002", "value of the wrong type",
    """An operator or function got a value of a type it does not take (JSONata's
codes T0410-T2013): `+` on text (JSONata joins text with `&`), `$sum` over
text (convert with `$number`), a function called on a value that is not a
function (a misspelt `$name`). The diagnostic shows the value it got.""",
    'orders.(id + "-" + status)',
    'orders.(id & "-" & status)',
)
EVALUATION = register(
    "JSONATA1003", "evaluation error",
    """Evaluating the expression failed for a reason other than a type (JSONata's
codes D1001-D3141): a number that cannot be cast (`$number("x")`), a regular
expression that matches nothing, a sort key of mixed types, an `$error()` or
`$assert()` the expression raised itself.""",
    '$number("12 kg")',
    '$number($substringBefore("12 kg", " "))',
)
UNKNOWN_FIELD = register(
    "JSONATA1004", "name matches no key in the data",
    """A name in a path (`orders.amout`) is looked up as a key of the records
the path is on. A key that no input has gives no value, silently, and the
expression's result is then empty or shorter than it should be. The inputs'
keys are known, so the nearest one is offered. A name before `:` in an object
constructor is evaluated too: to make a key named `total`, write `"total"`. A
name close to a real key is an error; one close to none is a warning (it may be
a key some records lack), and an error when the expression gives nothing.""",
    "orders.amout",
    "orders.amount",
)
UNKNOWN_NAME = register(
    "JSONATA1005", "unknown variable or function",
    """`$name` is neither bound in the expression (`$x := ...`, a function
parameter), nor one of the world's data variables, nor a function of JSONata's
library. An unbound variable silently has no value; calling one fails with
T1006. The nearest known name is offered.""",
    "$roud($sum(orders.amount), 2)",
    "$round($sum(orders.amount), 2)",
)
NOTHING = register(
    "JSONATA1006", "the expression matched nothing",
    """The expression ran without error but gave no value (JSONata's
`undefined`): no record had the keys the path asks for, or a filter kept no
record. Check the path against the data variables the world card lists
(`$orders`, not `orders` when a variable is meant) and the keys of their records.""",
    'orders[status = "Paid"]',
    '$orders[$lowercase(status) = "paid"]',
)
