-- 0952 down: drops the scope functions; the API lists walk the created_at index again.
drop function caller_equipment_scope(integer);
drop function caller_ticket_scope(integer);
drop function caller_scope_max(regclass, integer);
