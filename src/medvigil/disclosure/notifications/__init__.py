"""Notifications to regulators and coordinators with their clocks, and reply mail."""
