"""E-mail: the SMTP sender of the outbox and its settings (texts: ``model.mail_templates``)."""
