"""Watchkeeper's Qt user interface. ``gui.app`` is the one place that wires core and window."""
