"""Analyzer rules: a catalogue of codes (`catalogue`) and one module per rule family."""
