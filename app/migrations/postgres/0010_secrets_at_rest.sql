-- Delivered mails and SMS lose their text (links, codes) at delivery and are deleted
-- after OUTBOX_RETENTION_DAYS — except notifications whose delivery time is part of a
-- legal record (the postbox's § 37 Abs. 2a SGB X trail), which are kept (without text).
ALTER TABLE outbox ADD COLUMN retain BIGINT NOT NULL DEFAULT 0;
UPDATE outbox SET retain = 1 WHERE id IN (SELECT notification_outbox_id FROM postbox_items WHERE notification_outbox_id IS NOT NULL);
UPDATE outbox SET body_text = '', body_html = NULL WHERE sent_at IS NOT NULL AND delivered_via <> 'preview';
