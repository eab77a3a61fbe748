"""The engine: one recording file's whole pipeline, the same headless and behind the window.

source → reader → one writer → scorer → alarm engine → forecast service → delivery; the window
only shows it and sends it commands, and other programs reach it through a local channel.
"""
