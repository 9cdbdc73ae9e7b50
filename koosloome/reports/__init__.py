"""Attendance sheets, exports, the needs overview and the LEADER report for organisers."""
