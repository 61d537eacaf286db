"""The participant's own page, /p/<token>: their consent, taking it back, and the study's
published report. It sits on top of the domains because it shows each one's part."""
