"""Printable PDFs in every interface language, including Arabic: text shaping and fonts
(text), the shared page layout (layout), the one QR code helper (qr) and the participant
card (receipt). A low layer: it imports only fieldapp.i18n, never a domain."""
