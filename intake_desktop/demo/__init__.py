"""Demo building blocks: a fake Vietnamese PKI, Vietnamese forms, signing and tampering.

Everything here is clearly marked DEMO (certificate names, document footers) and is meant for
tests, benchmarks, the app's test mode and the training server, never for real dossiers.
Plain Python: no Qt.
"""
