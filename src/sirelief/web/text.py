"""Small text helpers shared by handlers and templates."""


def mmss(seconds: float) -> str:
    """A duration as the timer shows it.

    >>> mmss(90), mmss(5.4)
    ('1:30', '0:05')
    """
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
