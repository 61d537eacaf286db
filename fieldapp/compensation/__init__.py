"""Compensation: paying co-researchers and thanking participants within the allowance limits."""
