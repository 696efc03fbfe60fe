"""Trainer tools of test mode: the scenario library, practice scoring and scenario packs."""
