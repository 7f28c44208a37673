"""E-mail: the messages' texts (English, French) and the SMTP sender of the outbox."""
