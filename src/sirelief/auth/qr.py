"""An invitation link as a QR code, drawn on the server as inline SVG (segno, pure Python).

The client scans it from the coach's screen with their phone's camera; no script, no image
service, nothing leaves the server. The SVG scales with its box (a viewBox, no size) and
carries a title for screen readers; the link is shown as text beside it too.
"""

import io

ERROR_CORRECTION = "m"
"""Medium: 15% of the code may be lost (a glare on a laptop screen) and still read."""
MODULE_SCALE = 4
QUIET_ZONE = 4
"""Four modules of white around the code, as the QR standard asks, so cameras find it."""


def invitation_qr_svg(link: str, *, title: str = "QR code of the invitation link") -> str:
    """An ``<svg>`` element (no XML declaration) to put straight into a page.

    >>> svg = invitation_qr_svg("https://clinic.example/join/abc")
    >>> svg.startswith('<svg viewBox="0 0 '), "<title>QR code" in svg, "<script" in svg
    (True, True, False)
    """
    import segno  # only invitation pages draw codes: not loaded by every command

    code = segno.make(link, error=ERROR_CORRECTION, micro=False)
    return code.svg_inline(
        scale=MODULE_SCALE,
        border=QUIET_ZONE,
        title=title,
        omitsize=True,
        svgclass="invitation-qr",
        dark="#000",
        light="#fff",
    )


def invitation_qr_text(link: str) -> str:
    """The same code drawn with block characters, for a terminal (two rows a line).

    >>> text = invitation_qr_text("https://clinic.example/join/abc")
    >>> set(text) <= set("\u2580\u2584\u2588 \\n"), len(text.splitlines()) > 10
    (True, True)
    """
    out = io.StringIO()
    import segno

    segno.make(link, error=ERROR_CORRECTION, micro=False).terminal(
        out=out, compact=True, border=QUIET_ZONE
    )
    return out.getvalue()
