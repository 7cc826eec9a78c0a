"""Small text helpers shared by handlers and templates."""

import json


def mmss(seconds: float) -> str:
    """A duration as the timer shows it.

    >>> mmss(90), mmss(5.4)
    ('1:30', '0:05')
    """
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def sentence(message: str) -> str:
    """A use case's one-line refusal as a sentence on a page.

    >>> sentence("the code is wrong")
    'The code is wrong.'
    """
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else f"{message}."


SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def script_json(data) -> str:
    """JSON safe inside ``<script type="application/json">``: no routine text can end the
    block (``</script>``) or open a comment that swallows it (``<!--<script``).

    >>> script_json({"note": "</script><!--"})
    '{"note": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    return json.dumps(data, ensure_ascii=True, allow_nan=False).translate(SCRIPT_ESCAPES)
