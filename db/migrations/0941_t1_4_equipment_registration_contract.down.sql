-- 0941 T1.4 equipment registration (contract) down: the 0940 state again. A tenant can no longer
-- open the first periods of a device it registers (0940's gap); the system role still can.
-- Undone by running 0941 up again.

drop policy party_register on equipment_relationships;
drop function equipment_registered_here(varchar);
