"""The participant's own page, /p/<token>: no account, in their language."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy import select

from fieldapp.common.forms import ActionForm
from fieldapp.consent import services
from fieldapp.consent.forms import ITEM_NAMES
from fieldapp.consent.models import Item
from fieldapp.extensions import db
from fieldapp.i18n import LANGUAGE_CODES
from fieldapp.participants.services import participant_for_token
from fieldapp.reports.models import Report

bp = Blueprint("participant_page", __name__, url_prefix="/p")

# Items a participant can take back one by one from their page.
WITHDRAWABLE = (Item.AUDIO, Item.QUOTE, Item.PHOTO, Item.RECONTACT, Item.REUSE)


def _participant(token: str):
    participant = participant_for_token(token)
    if participant is None:
        abort(404)
    return participant


def _language(participant) -> str:
    chosen = request.args.get("lang", "")
    return chosen if chosen in LANGUAGE_CODES else participant.language


@bp.get("/<token>")
def show(token: str):
    """What the participant agreed to, what happens next, and how to withdraw."""
    participant = _participant(token)
    record = services.latest_record(participant)
    with force_locale(_language(participant)):
        labels = {}
        if record is not None:
            text = record.form.text_for(record.language)
            labels = dict(text.item_labels) if text else {}
        report = db.session.scalar(
            select(Report).where(
                Report.study_id == participant.study_id, Report.state == "published"
            )
        )
        return render_template(
            "consent/participant_page.html",
            report=report,
            participant=participant,
            study=participant.study,
            record=record,
            labels=labels,
            item_names=ITEM_NAMES,
            withdrawable=WITHDRAWABLE,
            token=token,
            form=ActionForm(),
        )


@bp.route("/<token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str):
    """Withdraw from the study: first a confirmation, then everything is erased."""
    participant = _participant(token)
    form = ActionForm()
    with force_locale(_language(participant)):
        if form.validate_on_submit():
            study = participant.study
            services.withdraw_participant(participant, reason="participant")
            db.session.commit()
            services.finish_file_removals()
            db.session.commit()
            return render_template("consent/withdrawn.html", study=study)
        return render_template(
            "consent/withdraw_confirm.html", participant=participant, token=token, form=form
        )


@bp.route("/<token>/items/<key>/withdraw", methods=["GET", "POST"])
def withdraw_item(token: str, key: str):
    """Take back one item (for example quotes or audio); the rest stays."""
    participant = _participant(token)
    if key not in WITHDRAWABLE:
        abort(404)
    record = services.latest_record(participant)
    if record is None or not record.granted(key):
        abort(404)
    form = ActionForm()
    with force_locale(_language(participant)):
        text = record.form.text_for(record.language)
        label = (text.item_labels.get(key) if text else None) or ITEM_NAMES[key]
        if form.validate_on_submit():
            services.withdraw_item(participant, key)
            db.session.commit()
            services.finish_file_removals()
            db.session.commit()
            return redirect(url_for("participant_page.show", token=token))
        return render_template(
            "consent/withdraw_item_confirm.html",
            participant=participant,
            token=token,
            form=form,
            label=label,
            key=key,
        )
