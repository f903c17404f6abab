--! no-transaction
-- 0011 T3.2 status history order index (expand): "the latest history row of a ticket" is
-- `order by history_seq desc nulls last, changed_at desc, id desc limit 1` (0010); this index makes
-- it one index probe per ticket, which the status triggers, the reconciliation backfill and the
-- ticket history reads all do. ticket_status_history is a populated legacy table, so the index is
-- built CONCURRENTLY (no transaction; the runner drops an invalid leftover before a retry).
-- Undo: 0011 down drops the index concurrently.
create index concurrently idx_ticket_status_history_latest
  on ticket_status_history (ticket_id, history_seq desc nulls last, changed_at desc, id desc);
