"""Writes of the committees app; every one is audited and keeps the 応募倍率 indicator current."""
