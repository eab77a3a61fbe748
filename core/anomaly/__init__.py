"""Anomaly scoring: a causal, calibrated score per reading for every channel (Qt-free)."""

from core.anomaly.detector import AnomalyDetector, ScoredBatch
from core.anomaly.scorer import ChannelScorer
from core.anomaly.settings import AnomalyConfig, ScorerSettings, parse_anomaly_config

__all__ = [
    "AnomalyConfig",
    "AnomalyDetector",
    "ChannelScorer",
    "ScoredBatch",
    "ScorerSettings",
    "parse_anomaly_config",
]
