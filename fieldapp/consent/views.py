"""Consent pages: taking consent on the phone, the receipt, the editor and the register."""

from __future__ import annotations

import base64
import csv
import io
import uuid as uuid_module

import qrcode
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import Length

from fieldapp.accounts.access import recent_login_required
from fieldapp.audit import services as audit
from fieldapp.common.forms import ActionForm
from fieldapp.common.readability import score
from fieldapp.consent import services
from fieldapp.consent.forms import (
    ITEM_NAMES,
    METHOD_LABELS,
    ConsentTextForm,
    ItemsForm,
    build_consent_form,
    decode_signature,
)
from fieldapp.consent.models import ConsentForm, ConsentRecord, FormChanged
from fieldapp.db import writes_during_read
from fieldapp.extensions import db
from fieldapp.i18n import language as language_info
from fieldapp.instruments.services import published_instruments
from fieldapp.media.services import MediaRejected, MediaStorageFailed
from fieldapp.participants.access import load_participant
from fieldapp.participants.forms import CoordinatorWithdrawForm
from fieldapp.participants.services import (
    ParticipantError,
    PendingParticipant,
    can_take_participants,
    enrolled_participant,
    open_pending,
    participant_for_token,
    retire_card,
    seal_pending,
    show_card_once,
)
from fieldapp.studies.access import study_view

bp = Blueprint("consent", __name__)

ERRORS = {
    "not_allowed": _l("Only people who work on this study can take consent."),
    "not_in_fieldwork": _l("This study is not in fieldwork."),
    "no_consent_text": _l("There is no published consent text in this language yet."),
    "already_recorded": _l("This participant already gave consent to this version."),
    "missing_items": _l("Answer yes or no to every question."),
    "unknown_method": _l("Choose how consent was given."),
    "paper_reference": _l("Enter the number of the paper form (letters, digits, dashes)."),
    "declaration": _l("Confirm that the participant said yes out loud."),
    "signature_missing": _l("Let the participant sign on the screen, or choose another way."),
    "guardian_missing": _l("For someone younger than 16, a parent or guardian must agree too."),
    "guardian_details": _l("Say who agrees for the child, and how."),
    "contact_without_recontact": _l(
        "Contact details can only be kept when the participant wants to hear the results."
    ),
    "unknown_item": _l("Choose items from the list."),
    "item_too_long": _l("An item can have at most 80 characters."),
    "unknown_language": _l("Choose one of the languages of the study."),
    "incomplete": _l("Every language needs an information text and the wording of every item."),
    "no_consent": _l("There is no consent to withdraw."),
    "item_not_granted": _l("This was not agreed to."),
    "unknown_category": _l("Choose a reason."),
    "unknown_reason": _l("Choose a reason."),
}
MEDIA_ERRORS = {
    "empty": _l("The signature is empty. Please sign again."),
    "too_large": _l("The signature image is too large."),
    "too_many_pixels": _l("The signature image is too large."),
    "not_an_image": _l("The signature could not be read. Please sign again."),
    "unsupported_format": _l("The signature could not be read. Please sign again."),
    "bomb": _l("The signature image is too large."),
    "storage": _l(
        "The signature could not be saved: the server's storage is full or not available. "
        "Nothing was stored. Please try again later or record consent on paper."
    ),
}
PENDING_ERRORS = {
    "pending_expired": _l("This form waited too long. Please start again with the participant."),
    "pending_invalid": _l("This form could not be read. Please start again with the participant."),
}


def _labels(form: ConsentForm, language: str) -> dict[str, str]:
    text = form.text_for(language)
    return dict(text.item_labels) if text else {}


# ---------------------------------------------------------------- taking consent


@bp.route("/participants/<int:participant_id>/consent", methods=["GET", "POST"])
@login_required
def take(participant_id: int):
    """Consent of a returning participant (to a new version), in their language."""
    participant = load_participant(participant_id)
    form_version = services.current_form(participant.study)
    if form_version is None:
        abort(404)
    if services.consent_record_for(participant, form_version) is not None:
        return redirect(url_for("participants.show", participant_id=participant.id))
    return _consent_page(participant.study, participant, form_version)


@bp.route("/studies/<int:study_id>/participants/new/consent", methods=["GET", "POST"])
@login_required
@study_view()
def take_new(study):
    """Consent of a new participant: nothing about them is stored until it is saved."""
    if not can_take_participants(current_user, study):
        abort(403)
    if request.method == "GET":  # the choices travel in the form; there is nothing to show
        return redirect(url_for("participants.new", study_id=study.id))
    try:
        pending = open_pending(current_user, study, request.form.get("pending", ""))
    except ParticipantError as error:
        flash(PENDING_ERRORS.get(error.code, PENDING_ERRORS["pending_invalid"]), "error")
        return redirect(url_for("participants.new", study_id=study.id))
    return start_consent(study, pending, validate=not request.form.get("switch_language"))


def start_consent(study, pending: PendingParticipant, *, validate: bool = False):
    """The consent page for a participant met just now (from participants.new)."""
    form_version = services.current_form(study)
    if form_version is None:
        abort(404)
    return _consent_page(study, pending, form_version, validate=validate)


def _consent_page(study, participant, form_version: ConsentForm, *, validate: bool = True):
    """The consent form in the participant's language: information, items, how."""
    pending = participant if isinstance(participant, PendingParticipant) else None
    lang = request.values.get("participant_lang")
    if not lang or form_version.text_for(lang) is None:
        lang = participant.language
    text = form_version.text_for(lang)
    with force_locale(lang):
        form = build_consent_form(
            form_version.item_keys(),
            _labels(form_version, lang),
            **({} if validate else {"formdata": None}),
        )
        if validate and form.validate_on_submit():
            outcome = _record(participant, form, lang)
            if outcome == "declined":
                db.session.commit()
                return render_template("consent/declined.html", study=study)
            if outcome == "already":  # the same form sent twice (a double tap): go on
                enrolled = enrolled_participant(pending)
                if enrolled is None:
                    flash(ERRORS["already_recorded"], "info")
                    return redirect(url_for("studies.show", study_id=study.id))
                return redirect(url_for("consent.receipt", participant_id=enrolled.id))
            if outcome is not None:
                db.session.commit()
                return redirect(url_for("consent.receipt", participant_id=outcome.participant_id))
        status = 400 if validate and form.is_submitted() else 200
        return render_template(
            "consent/take.html",
            participant=participant,
            pending=seal_pending(pending) if pending is not None else None,
            study=study,
            form=form,
            text=text,
            version=form_version,
            lang=lang,
            method_labels=METHOD_LABELS,
        ), status


def _record(participant, form, lang):
    """Record consent from a validated form; put errors on the form and return None."""
    try:
        signature = decode_signature(form.signature.data or "")
    except ValueError:
        form.signature.errors.append(MEDIA_ERRORS["not_an_image"])
        return None
    decisions = {key: field.data == "yes" for key, field in form.item_fields}
    try:
        record = services.record_consent(
            current_user,
            participant,
            decisions=decisions,
            method=form.method.data,
            language=lang,
            paper_reference=form.paper_reference.data,
            declaration=form.declaration.data,
            signature_png=signature if form.method.data == "signature" else None,
            guardian_consented=form.guardian_consented.data,
            guardian_relation=form.guardian_relation.data or None,
            guardian_method=form.guardian_method.data or None,
            contact={
                "name": form.contact_name.data,
                "email": form.contact_email.data,
                "phone": form.contact_phone.data,
            },
        )
    except services.ConsentError as error:
        db.session.rollback()
        if error.code == "already_recorded" and isinstance(participant, PendingParticipant):
            return "already"  # the same form sent twice: the first one counts
        field = {
            "paper_reference": form.paper_reference,
            "declaration": form.declaration,
            "signature_missing": form.method,
            "guardian_missing": form.guardian_consented,
            "guardian_details": form.guardian_relation,
            "contact_without_recontact": form.contact_name,
        }.get(error.code, form.method)
        field.errors.append(ERRORS.get(error.code, ERRORS["missing_items"]))
        return None
    except MediaStorageFailed:  # the disk is full or gone: nothing of this consent is kept
        db.session.rollback()
        form.signature.errors.append(MEDIA_ERRORS["storage"])
        return None
    except MediaRejected as error:
        db.session.rollback()
        form.signature.errors.append(MEDIA_ERRORS.get(error.code, MEDIA_ERRORS["not_an_image"]))
        return None
    if record is None:
        return "declined"
    return record


# ---------------------------------------------------------------- the receipt
#
# The link on the card is a capability: whoever has it sees the participant's page and can
# withdraw them. It is never stored (only its hash) and never put in a cookie (Flask's
# session cookie is signed, not encrypted). It is made when the card is shown, and the card
# is shown once: the first showing after consent, or after "Make a new card", which stops
# the old card. The PDF of the card is made from the link the page itself posts back.


def participant_page_url(token: str) -> str:
    return url_for("participant_page.show", token=token, _external=True)


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, box_size=6, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.get("/participants/<int:participant_id>/receipt")
@writes_during_read  # the card is claimed (its link made) on the first showing
@login_required
def receipt(participant_id: int):
    """The participant card, shown once, in the participant's language, right after consent."""
    participant = load_participant(participant_id)
    if services.latest_record(participant) is None:
        abort(404)
    token = show_card_once(participant)
    db.session.commit()
    if token is None:  # for the co-researcher, so in their language
        return render_template(
            "consent/receipt_gone.html", participant=participant, form=ActionForm()
        )
    with force_locale(participant.language):
        url = participant_page_url(token)
        return render_template(
            "consent/receipt.html",
            participant=participant,
            study=participant.study,
            qr=_qr_data_uri(url),
            url=url,
            token=token,
            questionnaires=_questionnaires(participant.study),
            new_interview_id=str(uuid_module.uuid4()),
        )


def _questionnaires(study):
    """Published questionnaires, so the interview starts from the card with one tap."""
    if study.state != "fieldwork":
        return []
    return [i.current_version for i in published_instruments(study, "questionnaire")]


@bp.post("/participants/<int:participant_id>/new-card")
@login_required
def new_card(participant_id: int):
    """Make a new card (and link): the old card stops working."""
    participant = load_participant(participant_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.require_consent(participant)
    except services.ConsentRequired:
        flash(_("This participant has no valid consent; take consent first."), "error")
        return redirect(url_for("participants.show", participant_id=participant.id))
    retire_card(participant)
    audit.record("participant_card_reissued", participant, study_id=participant.study_id)
    db.session.commit()
    return redirect(url_for("consent.receipt", participant_id=participant.id))


def receipt_labels() -> dict[str, str]:
    return {
        "heading": _("Your participant card"),
        "contact": _("Questions? Contact:"),
        "scan": _("Scan the code to see what you agreed to, read the results, or withdraw."),
        "keep": _("Keep this card. Your name is not on it."),
    }


@bp.post("/participants/<int:participant_id>/receipt.pdf")
@login_required
def receipt_pdf(participant_id: int):
    """The card just shown, as a printable A6 PDF: the page posts its link back."""
    # imported when needed: reportlab and the fonts load only for a PDF
    from fieldapp.pdf.receipt import CardOverflowError, render_receipt

    participant = load_participant(participant_id)
    form = ActionForm()
    token = request.form.get("token", "")
    if not form.validate_on_submit() or participant_for_token(token) is not participant:
        abort(404)
    study = participant.study
    card = {
        "code": participant.code,
        "study_title": study.title,
        "contact": study.contact_email or study.lead_organisation,
        "url": participant_page_url(token),
        "language": participant.language,
    }
    with force_locale(participant.language):
        try:
            pdf = render_receipt(**card, labels=receipt_labels())
        except CardOverflowError:
            # A very long title or contact does not fit an A6 card: shorten them.
            card["study_title"] = card["study_title"][:60] + "…"
            card["contact"] = card["contact"][:60]
            pdf = render_receipt(**card, labels=receipt_labels())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="card-{participant.code}.pdf"'},
    )


# ---------------------------------------------------------------- the coordinator's editor


@bp.get("/studies/<int:study_id>/consent")
@study_view(manage=True)
def versions(study):
    """The consent versions of a study, and what is missing before publishing."""
    draft = services.draft_form(study)
    current = services.current_form(study)
    readability = {}
    for form in (draft, current):
        if form is None:
            continue
        for text in form.texts:
            readability[(form.id, text.language)] = score(text.information, text.language)
    return render_template(
        "consent/versions.html",
        study=study,
        draft=draft,
        current=current,
        forms=services.forms_of(study),
        problems=services.publishing_problems(draft) if draft else [],
        readability=readability,
        item_names=ITEM_NAMES,
        action_form=ActionForm(),
    )


@bp.post("/studies/<int:study_id>/consent/new")
@study_view(manage=True)
def new_version(study):
    """Start a new version (a copy of the current one), or go on with the open draft."""
    if not ActionForm().validate_on_submit():
        abort(400)
    services.start_new_version(current_user, study)
    db.session.commit()
    return redirect(url_for("consent.versions", study_id=study.id))


def _draft(study, form_id: int) -> ConsentForm:
    form = db.session.get(ConsentForm, form_id)
    if form is None or form.study_id != study.id:
        abort(404)
    if form.is_published:
        flash(_("A published version cannot change. Start a new version instead."), "error")
        return None
    return form


@bp.route("/studies/<int:study_id>/consent/<int:form_id>/items", methods=["GET", "POST"])
@study_view(manage=True)
def items(study, form_id: int):
    """Choose which items participants are asked about."""
    form_version = _draft(study, form_id)
    if form_version is None:
        return redirect(url_for("consent.versions", study_id=study.id))
    form = ItemsForm()
    if not form.is_submitted():
        keys = form_version.item_keys()
        form.standard.data = [k for k in keys if not k.startswith("custom:")]
        form.custom.data = "\n".join(
            item.label or item.key[7:] for item in form_version.items if item.is_custom
        )
    if form.validate_on_submit():
        try:
            services.set_items(
                current_user,
                form_version,
                form.standard.data or [],
                (form.custom.data or "").splitlines(),
            )
        except services.ConsentError as error:
            db.session.rollback()
            form.custom.errors.append(ERRORS[error.code])
        else:
            db.session.commit()
            flash(_("The items are saved."), "success")
            return redirect(url_for("consent.versions", study_id=study.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "consent/items.html", study=study, version=form_version, form=form
    ), status


def _text_form(form_version: ConsentForm, language: str, existing):
    class Form(ConsentTextForm):
        pass

    for item in form_version.items:
        setattr(
            Form,
            "label_" + item.key.replace(":", "__").replace("-", "_"),
            StringField(
                ITEM_NAMES.get(item.key) or item.label or item.key,
                validators=[Length(max=300, message=_l("Use at most %(max)d characters."))],
            ),
        )
    form = Form()
    form.label_fields = [
        (key, form["label_" + key.replace(":", "__").replace("-", "_")])
        for key in form_version.item_keys()
    ]
    if not form.is_submitted():
        names = {item.key: item.label for item in form_version.items}
        if existing is not None:
            form.information.data = existing.information
        for key, field in form.label_fields:
            field.data = (existing.item_labels.get(key) if existing else None) or names.get(key)
    return form


@bp.route("/studies/<int:study_id>/consent/<int:form_id>/text/<language>", methods=["GET", "POST"])
@study_view(manage=True)
def text(study, form_id: int, language: str):
    """Write the information text and the items in one language, with its readability."""
    if language not in study.languages:
        abort(404)
    form_version = _draft(study, form_id)
    if form_version is None:
        return redirect(url_for("consent.versions", study_id=study.id))
    existing = form_version.text_for(language)
    form = _text_form(form_version, language, existing)
    dutch = form_version.text_for("nl") if language != "nl" else None
    if form.validate_on_submit():
        labels = {key: field.data or "" for key, field in form.label_fields}
        services.save_text(current_user, form_version, language, form.information.data, labels)
        db.session.commit()
        flash(_("The text is saved."), "success")
        return redirect(url_for("consent.versions", study_id=study.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "consent/text.html",
        study=study,
        version=form_version,
        form=form,
        language=language_info(language),
        readability=score(form.information.data or "", language),
        dutch=dutch,
    ), status


@bp.post("/studies/<int:study_id>/consent/<int:form_id>/publish")
@study_view(manage=True)
def publish(study, form_id: int):
    """Publish a version: it is frozen, and participants consent to it from now on."""
    if not ActionForm().validate_on_submit():
        abort(400)
    form_version = _draft(study, form_id)
    if form_version is None:
        return redirect(url_for("consent.versions", study_id=study.id))
    try:
        services.publish_form(current_user, form_version)
    except (services.ConsentError, FormChanged):
        db.session.rollback()
        flash(ERRORS["incomplete"], "error")
    else:
        db.session.commit()
        flash(_("Version %(version)d is published.", version=form_version.version), "success")
    return redirect(url_for("consent.versions", study_id=study.id))


# ---------------------------------------------------------------- the register


@bp.get("/studies/<int:study_id>/consent/register")
@study_view(manage=True)
def register(study):
    """Who consented to what: counts per item and language, and a list by code."""
    rows = services.register_rows(study)
    current = services.current_form(study)
    names = {key: str(label) for key, label in ITEM_NAMES.items()}
    for form in services.forms_of(study):
        for item in form.items:
            if item.is_custom:
                names.setdefault(item.key, item.label or item.key[7:])
    audit.record("consent_register_viewed", study, study_id=study.id)
    db.session.commit()
    return render_template(
        "consent/register.html",
        study=study,
        rows=rows,
        counts=services.register_counts(study),
        item_names=names,
        method_labels=METHOD_LABELS,
        current=current,
    )


CSV_COLUMNS = ("code", "version", "language", "age_band", "method", "taken_at", "taken_by")


def neutralise(value: str) -> str:
    """A spreadsheet must not run a cell as a formula."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


@bp.get("/studies/<int:study_id>/consent/register.csv")
@study_view(manage=True)
@recent_login_required
def register_csv(study):
    """The consent register as CSV, without contact details."""
    current = services.current_form(study)
    keys = current.item_keys() if current else []
    rows = [
        [
            neutralise(record.participant.code),
            record.form.version,
            record.language,
            record.participant.age_band,
            record.method,
            record.taken_at.isoformat(timespec="seconds"),
            neutralise(record.taken_by.username if record.taken_by else ""),
            *["yes" if record.granted(k) else "no" for k in keys],
        ]
        for record in services.register_rows(study)
    ]
    audit.record("consent_register_exported", study, study_id=study.id, rows=len(rows))
    db.session.commit()

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([*CSV_COLUMNS, *keys])
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    filename = f"consent-register-{study.slug}.csv"
    return Response(
        generate(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/consent-records/<int:record_id>.pdf")
@login_required
@recent_login_required
def record_pdf(record_id: int):
    """A PDF copy of one consent record, with the wording the participant saw."""
    # imported when needed: reportlab and the fonts load only for a PDF
    from fieldapp.consent.record_pdf import render_record_pdf

    record = db.session.get(ConsentRecord, record_id)
    if record is None:
        abort(404)
    participant = load_participant(record.participant_id, manage=True)
    audit.record("consent_record_exported", record, study_id=participant.study_id)
    db.session.commit()
    pdf = render_record_pdf(record)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="consent-{participant.code}.pdf"'},
    )


@bp.route("/participants/<int:participant_id>/withdraw", methods=["GET", "POST"])
@login_required
@recent_login_required
def withdraw_on_request(participant_id: int):
    """A coordinator withdraws a participant who asked for it (by phone, letter, in person)."""
    participant = load_participant(participant_id, manage=True)
    form = CoordinatorWithdrawForm()
    if form.validate_on_submit():
        study_id = participant.study_id
        services.withdraw_participant(
            participant, actor=current_user, reason="request", category=form.category.data
        )
        db.session.commit()
        services.finish_file_removals()
        db.session.commit()
        flash(_("The participant is withdrawn. Their data is erased."), "success")
        return redirect(url_for("consent.register", study_id=study_id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "consent/withdraw_on_request.html", participant=participant, form=form
    ), status
