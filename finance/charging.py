"""Charges follow the consents: what happens to a student's charge when a consent changes."""


def on_consent_revoked(consent, actor, reason):
    """No charge records exist yet in this version of the app: nothing to cancel."""
    return None
