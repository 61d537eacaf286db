"""Inviting a person, maybe to a study or an area: the page /invitations.

It is served by the accounts blueprint (endpoint "accounts.invitations") but lives here, in
studies, because the form offers the studies and areas the inviter may invite to, and
accounts sits below studies. create_app imports this module before it registers the
blueprint. Accepting an invitation (accounts.views) needs no study: studies is told by the
`invitation_accepted` signal.
"""

from __future__ import annotations

import base64
import io

import qrcode
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice as Choice

from fieldapp.accounts import services
from fieldapp.accounts.access import role_required
from fieldapp.accounts.forms import ROLE_LABELS, InvitationForm
from fieldapp.accounts.models import Role
from fieldapp.accounts.views import ERRORS, bp
from fieldapp.areas.models import Area
from fieldapp.extensions import db
from fieldapp.studies.models import Study
from fieldapp.studies.services import (
    areas_user_may_create_studies_in,
    can_manage_study,
    studies_for,
)


def _invitation_form() -> InvitationForm:
    form = InvitationForm()
    allowed = services.roles_inviter_may_invite(current_user)
    form.role.choices = [Choice(role.value, ROLE_LABELS[role.value]) for role in allowed]
    studies = [s for s in studies_for(current_user) if s.state != "closed"]
    form.study_id.choices = [Choice("", _("No study yet"))] + [
        Choice(str(s.id), s.title) for s in studies if can_manage_study(current_user, s)
    ]
    if current_user.role == Role.ADMIN:
        form.area_id.choices = [Choice("", _("No area"))] + [
            Choice(str(a.id), a.name) for a in areas_user_may_create_studies_in(current_user)
        ]
    else:
        form.area_id.choices = [Choice("", _("No area"))]
    if request.method == "GET" and request.args.get("study"):
        form.study_id.data = request.args.get("study")
    return form


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.route("/invitations", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.COORDINATOR)
def invitations():
    """Invite a person and list the invitations sent."""
    form = _invitation_form()
    if form.validate_on_submit():
        study = db.session.get(Study, int(form.study_id.data)) if form.study_id.data else None
        area = db.session.get(Area, int(form.area_id.data)) if form.area_id.data else None
        try:
            invitation, token = services.create_invitation(
                current_user,
                role=form.role.data,
                username=form.username.data,
                display_name=form.display_name.data,
                email=form.email.data,
                locale=form.locale.data,
                languages_spoken=form.languages_spoken.data,
                study=study,
                area=area,
            )
        except services.AccountError as error:
            db.session.rollback()
            field = form.username if "username" in error.code else form.role
            if error.code == "study_not_allowed":
                field = form.study_id
            elif error.code == "area_not_allowed":
                field = form.area_id
            field.errors.append(ERRORS[error.code])
        else:
            db.session.commit()
            link = url_for("accounts.accept_invitation", token=token, _external=True)
            return render_template(
                "accounts/invitation_created.html",
                invitation=invitation,
                link=link,
                qr=_qr_data_uri(link),
            )
    listed = services.invitations_visible_to(current_user)
    return render_template(
        "accounts/invitations.html", form=form, invitations=listed, role_labels=ROLE_LABELS
    )
