"""Installer and Windows-detail tests: the window ones run offscreen like tests/gui."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
