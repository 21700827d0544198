"""The parts of the soak test (``bench/soak.py``)."""
