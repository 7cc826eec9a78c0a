"""sirelief: guided, measured self-care for sacroiliac joint pain."""

__version__ = "0.1.0"
