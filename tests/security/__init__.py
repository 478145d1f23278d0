"""Security tier: the real doors attacked as an attacker would."""
