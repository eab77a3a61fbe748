"""Simulation: the simulated device, its ``sim://`` URL, the simulated Modbus bus and the demo.

Nothing here is needed to record a real plant; it is what ``--demo``, ``sim://`` and
``watchkeeper simulate`` use, and what the tests and benchmarks drive the product with.
"""
