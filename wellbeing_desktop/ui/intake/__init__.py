"""Intake screens: the waiting list, contact attempts, referral import, letters due."""
