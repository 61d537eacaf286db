"""Areas: a focus area or neighbourhood, with the coordinators who work in it."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import TimestampMixin
from fieldapp.extensions import db

area_coordinators = Table(
    "area_coordinators",
    db.metadata,
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Area(TimestampMixin, db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    municipality: Mapped[str] = mapped_column(String(120), nullable=False)
    # CBS neighbourhood codes (buurtcodes) such as BU09170000
    cbs_codes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    # The names people use for those neighbourhoods (sub-areas), by code; optional
    cbs_names: Mapped[dict[str, str]] = mapped_column(
        JSON, default=dict, server_default="{}", nullable=False
    )

    coordinators = relationship("User", secondary=area_coordinators, order_by="User.display_name")
    studies = relationship("Study", back_populates="area", order_by="Study.title")

    def sub_area_name(self, code: str) -> str:
        """The neighbourhood's name if the area gives one, otherwise its code."""
        return (self.cbs_names or {}).get(code) or code

    def __repr__(self) -> str:
        return f"<Area {self.slug}>"
