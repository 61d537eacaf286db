"""Named signals: how a lower domain lets higher ones react, without importing them.

Every cross-domain reaction goes through one of these signals (blinker, as Flask uses).
Receivers are connected by each domain's `connect_signals()`, which `create_app` calls;
importing a module connects nothing. Blinker calls receivers in no fixed order, so every
receiver must do its own domain's part and not rely on another receiver having run.

invitation_checking(inviter, study=Study) -> str | None
    Sent when someone invites a person to a study; a receiver returns an error code that
    refuses it (accounts.services.AccountError), or None.
    Receivers: studies.services.invitation_problem ("study_not_allowed").

invitation_accepted(invitation, user=User) -> None
    Sent when an invited person (to a study) creates their account.
    Receivers: studies.services.member_from_invitation (they join the study).

study_state_changing(study, target=StudyState) -> list[str]
    Sent before a study enters `target`. Each receiver returns the problems that block
    the change (an empty list lets it pass).
    Receivers: consent.services.fieldwork_problems (a published consent text in every
    study language before fieldwork).

new_participant_checking(study, language=str) -> str | None
    Sent when the first screen for a new participant is checked; a receiver returns an
    error code that refuses it (participants.services.ParticipantError), or None.
    Receivers: consent.services.consent_text_problem (a published consent text in the
    participant's language, else "no_consent_text").

participant_erasing(participant) -> list[str]
    Sent by consent.services.withdraw_participant inside its transaction: each receiver
    deletes the participant's data of its domain (media rows included) and returns the
    submission ids it erased, so that later copies are refused.
    Receivers (the whole list; tests/consent/test_signals.py keeps it true):
      - fieldwork.interviews.erase_interviews: interviews, their answers and photo files.
    Consent erases its own records and signatures after them, then the participant row
    (contact details with it); see withdraw_participant.

consent_item_withdrawn(participant, item=str) -> None
    Sent when one consent item is taken back: receivers remove what depended on it.
    Receivers: fieldwork.interviews.erase_photos_of_participant (item "photo"),
    analysis.services.remove_quotes_of (item "quote").

interview_approved(interview) -> None
    Sent when a coordinator approves an interview.
    Receivers: compensation.services.entry_for_approved_interview (a payment line).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

study_state_changing = _signals.signal("study-state-changing")
participant_erasing = _signals.signal("participant-erasing")
consent_item_withdrawn = _signals.signal("consent-item-withdrawn")
interview_approved = _signals.signal("interview-approved")
new_participant_checking = _signals.signal("new-participant-checking")
invitation_checking = _signals.signal("invitation-checking")
invitation_accepted = _signals.signal("invitation-accepted")
