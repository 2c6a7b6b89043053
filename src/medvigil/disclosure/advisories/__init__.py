"""Security advisories (CSAF) and CVE records, their pages, API and customer deliveries."""
