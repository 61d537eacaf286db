"""Area rules: creating and editing areas and naming their coordinators (admins only)."""

from __future__ import annotations

import re

from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.areas.models import Area
from fieldapp.audit import services as audit
from fieldapp.extensions import db

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CBS_CODE_RE = re.compile(r"^BU\d{8}$")


class AreaError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


def parse_cbs_codes(text: str) -> list[str]:
    """CBS neighbourhood codes, separated by commas, spaces or new lines (BU + 8 digits)."""
    codes = [c.strip().upper() for c in re.split(r"[\s,;]+", text or "") if c.strip()]
    bad = [c for c in codes if not CBS_CODE_RE.match(c)]
    if bad:
        raise AreaError("bad_cbs_code", code=bad[0][:20])
    return list(dict.fromkeys(codes))


def parse_cbs_names(text: str, codes: list[str]) -> dict[str, str]:
    """Names of the neighbourhoods, one per line: a code of the area, then its name.

    "BU09170300 Centrum" or "BU09170300 = Centrum". These names are what field workers
    pick from when they note where a participant lives, and what figures split by
    sub-area show.
    """
    names: dict[str, str] = {}
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        code, _sep, name = line.partition(" ")
        code = code.strip().upper()
        name = name.strip().lstrip("=:").strip()
        if code not in codes:
            raise AreaError("name_for_unknown_code", code=code[:20])
        if not name or len(name) > 80 or any(ord(c) < 32 for c in name):
            raise AreaError("bad_cbs_name", code=code)
        names[code] = name
    return names


def _check(slug: str, exclude_id: int | None) -> None:
    if not SLUG_RE.match(slug):
        raise AreaError("bad_slug")
    found = db.session.scalar(select(Area.id).where(Area.slug == slug))
    if found is not None and found != exclude_id:
        raise AreaError("slug_taken")


def coordinator_candidates() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == Role.COORDINATOR).order_by(User.display_name)
        )
    )


def _set_coordinators(area: Area, coordinator_ids: list[int]) -> None:
    wanted = [u for u in coordinator_candidates() if u.id in set(coordinator_ids)]
    if len(wanted) != len(set(coordinator_ids)):
        raise AreaError("unknown_coordinator")
    area.coordinators = wanted


def save_area(
    actor: User,
    area: Area | None,
    *,
    name: str,
    slug: str,
    municipality: str,
    cbs_codes: list[str],
    coordinator_ids: list[int],
    cbs_names: dict[str, str] | None = None,
) -> Area:
    if actor.role != Role.ADMIN:
        raise AreaError("not_allowed")
    slug = slug.strip().lower()
    _check(slug, area.id if area is not None else None)
    created = area is None
    if created:
        area = Area()
        db.session.add(area)
    area.name = name.strip()
    area.slug = slug
    area.municipality = municipality.strip()
    area.cbs_codes = cbs_codes
    area.cbs_names = {c: n for c, n in (cbs_names or {}).items() if c in cbs_codes}
    _set_coordinators(area, coordinator_ids)
    db.session.flush()
    audit.record("area_created" if created else "area_updated", area, actor=actor)
    return area


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.name)))
