"""Credentials: password hashing and policy, TOTP, tokens and invitation QR codes.

Thin wrappers around argon2-cffi, pyotp, segno and zxcvbn's password list, so the use
cases (``services/``) that sign people in never pick parameters themselves. Time is
always a parameter; nothing here reads the clock, the database or the request.
"""
