"""Loading a participant for a view, for the participants' pages and the higher domains'
(consent, fieldwork) alike."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from fieldapp.extensions import db
from fieldapp.participants import services
from fieldapp.participants.models import Participant


def load_participant(participant_id: int, *, manage: bool = False) -> Participant:
    """The participant, if the current user may see them; 404 otherwise."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or not services.can_see_participant(current_user, participant):
        abort(404)
    if manage and not services.can_manage_participant(current_user, participant):
        abort(403)
    return participant
