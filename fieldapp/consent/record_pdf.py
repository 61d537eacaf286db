"""A PDF copy of one consent record: what was asked, in the participant's words, and the answers."""

from __future__ import annotations

import io

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fieldapp.consent.forms import ITEM_NAMES, METHOD_LABELS
from fieldapp.consent.models import ConsentRecord
from fieldapp.pdf.text import draw_text_block, register_fonts, set_metadata

MARGIN = 18 * mm
BODY = 10.5


def render_record_pdf(record: ConsentRecord) -> bytes:
    """The record in the coordinator's language; the items as the participant read them."""
    register_fonts()
    participant = record.participant
    study = participant.study
    text = record.form.text_for(record.language)
    labels = dict(text.item_labels) if text else {}
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    width, height = A4
    box = width - 2 * MARGIN
    y = height - MARGIN

    def line(value: str, *, size=BODY, font="FieldSans", language="en", gap=2 * mm):
        nonlocal y
        if y < MARGIN + 30 * mm:
            canvas.showPage()
            y = height - MARGIN
        y = (
            draw_text_block(
                canvas,
                value,
                x=MARGIN,
                y=y,
                width=box,
                font=font,
                size=size,
                leading=size * 1.35,
                language=language,
            )
            - gap
        )

    from flask_babel import get_locale

    ui = str(get_locale() or "nl")
    set_metadata(canvas, title=_("Consent record %(code)s", code=participant.code), language=ui)
    line(
        _("Consent record %(code)s", code=participant.code),
        size=16,
        font="FieldSans-Bold",
        language=ui,
        gap=4 * mm,
    )
    facts = [
        (_("Study"), study.title),
        (_("Consent version"), str(record.form.version)),
        (_("Language"), record.language),
        (_("Given on"), format_datetime(record.taken_at, "medium")),
        (_("Taken by"), record.taken_by.username if record.taken_by else "–"),
        (_("How"), str(METHOD_LABELS[record.method])),
    ]
    if record.paper_reference:
        facts.append((_("Paper form"), record.paper_reference))
    if record.guardian_consented:
        facts.append((_("Parent or guardian agrees"), record.guardian_relation or ""))
    for label, value in facts:
        line(f"{label}: {value}", language=ui, gap=1 * mm)
    y -= 3 * mm
    line(_("Answers"), size=12, font="FieldSans-Bold", language=ui)
    for decision in record.decisions:
        answer = _("Yes") if decision.granted else _("No")
        if decision.withdrawn_at is not None:
            answer = _(
                "Withdrawn on %(date)s", date=format_datetime(decision.withdrawn_at, "short")
            )
        with force_locale(record.language):
            wording = labels.get(decision.item_key) or str(ITEM_NAMES.get(decision.item_key, ""))
        line(wording, language=record.language, gap=0.5 * mm)
        line(f"→ {answer}", font="FieldSans-Bold", language=ui, gap=2.5 * mm)
    if text is not None:
        y -= 3 * mm
        line(_("Information the participant received"), size=12, font="FieldSans-Bold", language=ui)
        line(text.information, language=record.language, size=9.5)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
