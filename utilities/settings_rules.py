"""Keys of the utilities app's rules with numbers (registered in ``apps.py``)."""

ANOMALY_FACTOR = "utilities.anomaly_factor"
