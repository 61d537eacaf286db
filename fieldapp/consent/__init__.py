"""Consent: versioned multilingual forms, consent records, the gate, withdrawal and erasure."""
