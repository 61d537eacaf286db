"""Instruments: questionnaires, interview guides and observation protocols."""
