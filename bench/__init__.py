"""The benchmark of issue 7: davshare against stock Radicale 3.9 (``python -m bench``)."""
