"""Modbus RTU / Modbus TCP acquisition: register map, decoding, request planning, the poller
and its per-slave diagnostics. Qt-free; pymodbus does the framing and the CRCs."""
