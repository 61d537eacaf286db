"""Managing areas (administrators)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice as Choice

from fieldapp.accounts.access import role_required
from fieldapp.accounts.models import Role
from fieldapp.areas import services
from fieldapp.areas.forms import AreaForm
from fieldapp.areas.models import Area
from fieldapp.extensions import db

bp = Blueprint("areas", __name__, url_prefix="/admin/areas")

ERRORS = {
    "bad_slug": _l("Use only lower-case letters, digits and dashes."),
    "slug_taken": _l("Another area already uses this short name."),
    "bad_cbs_code": _l("%(code)s is not a CBS neighbourhood code (BU and eight digits)."),
    "unknown_coordinator": _l("Choose coordinators from the list."),
    "name_for_unknown_code": _l("%(code)s is not one of the codes of this area."),
    "bad_cbs_name": _l("Give %(code)s a name of at most 80 characters."),
}


def _form(area: Area | None) -> AreaForm:
    form = AreaForm(obj=area)
    form.coordinators.choices = [
        Choice(u.id, f"{u.display_name} ({u.username})") for u in services.coordinator_candidates()
    ]
    if area is not None and not form.is_submitted():
        form.cbs_codes.data = ", ".join(area.cbs_codes)
        form.cbs_names.data = "\n".join(
            f"{code} {name}" for code, name in (area.cbs_names or {}).items()
        )
        form.coordinators.data = [u.id for u in area.coordinators]
    return form


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    """List the areas."""
    return render_template("areas/index.html", areas=services.all_areas())


def _save(area: Area | None):
    form = _form(area)
    if form.validate_on_submit():
        try:
            codes = services.parse_cbs_codes(form.cbs_codes.data)
            names = services.parse_cbs_names(form.cbs_names.data, codes)
            services.save_area(
                current_user,
                area,
                name=form.name.data,
                slug=form.slug.data,
                municipality=form.municipality.data,
                cbs_codes=codes,
                cbs_names=names,
                coordinator_ids=form.coordinators.data or [],
            )
        except services.AreaError as error:
            db.session.rollback()
            field = {
                "bad_cbs_code": form.cbs_codes,
                "name_for_unknown_code": form.cbs_names,
                "bad_cbs_name": form.cbs_names,
                "unknown_coordinator": form.coordinators,
            }.get(error.code, form.slug)
            field.errors.append(
                ERRORS[error.code] % error.params if error.params else ERRORS[error.code]
            )
        else:
            db.session.commit()
            flash(_("The area is saved."), "success")
            return redirect(url_for("areas.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("areas/form.html", form=form, area=area), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    """Add an area."""
    return _save(None)


@bp.route("/<int:area_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(area_id: int):
    """Edit an area and its coordinators."""
    area = db.session.get(Area, area_id) or abort(404)
    return _save(area)
