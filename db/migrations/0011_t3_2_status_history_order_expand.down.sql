--! no-transaction
-- 0011 T3.2 (down): drops the history order index concurrently, so writers are never blocked.
drop index concurrently if exists idx_ticket_status_history_latest;
