"""Compensation: paying co-researchers and thanking participants, within the volunteer allowance limits."""
