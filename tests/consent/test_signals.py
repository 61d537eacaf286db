"""The receivers of the cross-domain signals are exactly the ones their docs name.

Withdrawal is audited by reading fieldapp/common/signals.py and withdraw_participant: a
receiver connected without being listed there (or listed without being connected) fails.
"""

from __future__ import annotations

from fieldapp.common import signals


def _names(signal) -> set[str]:
    return {f"{r.__module__}.{r.__qualname__}" for r in signal.receivers_for(object())}


def test_erasure_receivers_are_the_listed_ones(app):
    assert _names(signals.participant_erasing) == {"fieldapp.fieldwork.interviews.erase_interviews"}


def test_item_withdrawal_receivers_are_the_listed_ones(app):
    assert _names(signals.consent_item_withdrawn) == {
        "fieldapp.fieldwork.interviews.erase_photos_of_participant",
        "fieldapp.analysis.services.remove_quotes_of",
    }


def test_other_receivers_are_the_listed_ones(app):
    assert _names(signals.study_state_changing) == {"fieldapp.consent.services.fieldwork_problems"}
    assert _names(signals.invitation_checking) == {"fieldapp.studies.services.invitation_problem"}
    assert _names(signals.invitation_accepted) == {
        "fieldapp.studies.services.member_from_invitation"
    }
    assert _names(signals.new_participant_checking) == {
        "fieldapp.consent.services.consent_text_problem"
    }
    assert _names(signals.interview_approved) == {
        "fieldapp.compensation.services.entry_for_approved_interview"
    }


def test_connecting_again_keeps_one_connection(app):
    from fieldapp import create_app  # a second app, as tests and workers build

    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(list(signals.participant_erasing.receivers_for(object()))) == 1
