"""The OpenPGP disclosure key: its keyring (openpgp) and its life (services)."""
