"""Printed documents of every app: QR codes (segno) and PDFs from HTML (WeasyPrint, Chinese fonts from
Debian's ``fonts-noto-cjk``)."""


def qr_data_uri(url, scale=6):
    """An SVG data URI of the QR code holding ``url`` (error correction M)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)


def html_to_pdf(html, base_url=None):
    """The PDF bytes of an HTML page (its ``@page`` rule sets the paper size)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
