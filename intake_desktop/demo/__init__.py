"""Demo building blocks: a fake Vietnamese PKI, Vietnamese forms, signing and tampering.

- :mod:`.pki`: ``DemoPki``, a DEMO national root, provider CAs, a TSA and citizen certificates.
- :mod:`.documents`: ``make_form_pdf``, A4 Vietnamese forms made with PyMuPDF.
- :mod:`.signing`: ``sign_pdf``, incremental pyHanko signatures with a Vietnamese stamp.
- :mod:`.tamper`: attacks and damage the signature engine must catch.
- :mod:`.people`: made-up Vietnamese people (names, CCCD numbers, phones, addresses).
- :mod:`.dossiers`: ``generate_dossiers``, whole online dossiers built around the situations
  an officer must recognise, with the expected decision; ``demo_trust`` for test mode.

Everything is clearly marked DEMO (certificate names, document footers) and meant for tests,
benchmarks, the app's test mode and the training server, never for real dossiers. Plain
Python, no Qt. PyMuPDF is not thread-safe and pyHanko's synchronous API runs its own event
loop: use these from one worker thread (or separate processes) at a time.
"""
