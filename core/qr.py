"""QR codes drawn on the server as inline SVG (segno, pure Python; no script, no external service)."""

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, label: str, module_mm: int = 1) -> SafeString:
    """Return an ``<svg role="img">`` of a QR code for ``data``, sized in millimetres for print.

    Error correction M (15%), a quiet zone of four modules; each module is
    ``module_mm`` mm, so a short URL prints about 4 cm wide, which phone
    cameras read at arm's length. ``label`` is the image's accessible name
    (say what scanning it opens; the address itself should also be printed
    beside it for those who cannot scan).
    """
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(scale=module_mm, unit="mm", border=4, svgclass="qr", lineclass=None, title=label)
    # segno escapes the title; the svg element gets its role and name here.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
