"""Areas: administrators create and edit them and name their coordinators."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fieldapp.areas.models import Area
from fieldapp.extensions import db


def _form(**overrides):
    data = {
        "name": "Rotterdam-Zuid",
        "slug": "rotterdam-zuid",
        "municipality": "Rotterdam",
        "cbs_codes": "BU05991001, BU05991002\nBU05991003",
        "coordinators": [],
    }
    data.update(overrides)
    return data


def test_admin_creates_area_with_coordinator(app, as_admin, coordinator):
    response = as_admin.post("/admin/areas/new", data=_form(coordinators=[str(coordinator.id)]))
    assert response.status_code == 302
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "rotterdam-zuid"))
        assert area.cbs_codes == ["BU05991001", "BU05991002", "BU05991003"]
        assert [u.id for u in area.coordinators] == [coordinator.id]
    assert "Rotterdam-Zuid" in as_admin.get("/admin/areas/").get_data(as_text=True)


def test_neighbourhood_names_are_kept_and_shown_again(app, as_admin):
    names = "BU05991001 Afrikaanderwijk\nbu05991003 = Bloemhof\n\n"
    assert as_admin.post("/admin/areas/new", data=_form(cbs_names=names)).status_code == 302
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "rotterdam-zuid"))
        assert area.cbs_names == {"BU05991001": "Afrikaanderwijk", "BU05991003": "Bloemhof"}
        assert area.sub_area_name("BU05991003") == "Bloemhof"
        assert area.sub_area_name("BU05991002") == "BU05991002"  # no name: the code
        area_id = area.id
    form = as_admin.get(f"/admin/areas/{area_id}").get_data(as_text=True)
    assert "BU05991001 Afrikaanderwijk\nBU05991003 Bloemhof" in form
    # A code taken out of the area takes its name with it
    response = as_admin.post(
        f"/admin/areas/{area_id}",
        data=_form(cbs_codes="BU05991001", cbs_names="BU05991001 Afrikaanderwijk"),
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Area, area_id).cbs_names == {"BU05991001": "Afrikaanderwijk"}


def test_admin_edits_area(app, as_admin, area):
    response = as_admin.post(
        f"/admin/areas/{area.id}", data=_form(name="Heerlen Noord", slug="heerlen-noord")
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Area, area.id).name == "Heerlen Noord"
        assert db.session.get(Area, area.id).coordinators == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter a name."),
        ({"name": "x" * 121}, "Use at most 120 characters."),
        ({"slug": "Met Spaties"}, "Use only lower-case letters, digits and dashes."),
        ({"slug": "-begin"}, "Use only lower-case letters, digits and dashes."),
        ({"municipality": ""}, "Enter the municipality."),
        ({"cbs_codes": "BU123, nonsense"}, "is not a CBS neighbourhood code"),
        ({"cbs_names": "BU05991009 Elders"}, "is not one of the codes of this area"),
        ({"cbs_names": "BU05991001"}, "Give BU05991001 a name of at most 80 characters."),
        ({"cbs_names": "BU05991001 " + "x" * 81}, "a name of at most 80 characters"),
        ({"coordinators": ["99999"]}, "not a valid choice"),
        ({"coordinators": ["abc"]}, "valid"),
    ],
)
def test_bad_area_input_gets_a_message_and_writes_nothing(app, as_admin, overrides, message):
    response = as_admin.post("/admin/areas/new?lang=en", data=_form(**overrides))
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(func.count(Area.id))) == 0


def test_slug_must_be_unique(app, as_admin, area):
    response = as_admin.post("/admin/areas/new?lang=en", data=_form(slug=area.slug))
    assert "Another area already uses this short name." in response.get_data(as_text=True)


def test_only_admins_manage_areas(as_coordinator, as_co_researcher, area):
    for client in (as_coordinator, as_co_researcher):
        assert client.get("/admin/areas/").status_code == 403
        assert client.post("/admin/areas/new", data=_form()).status_code == 403
        assert client.post(f"/admin/areas/{area.id}", data=_form()).status_code == 403


def test_unknown_area_is_404(as_admin):
    assert as_admin.get("/admin/areas/424242").status_code == 404
