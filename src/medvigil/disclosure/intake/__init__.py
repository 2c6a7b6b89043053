"""The researcher portal: reports, attachments, throttling, encryption at rest, reporter keys,
security.txt and the policy page."""
