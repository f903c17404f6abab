-- 0954 platform holds-equipment fast path (expand): caller_holds_equipment() answers false at once
-- when the caller has no party organization (an engineer, whose devices come only through its
-- assignments), instead of running its lookup with organization_id = NULL. An engineer's ticket list
-- asks it of every ticket in its scope: 1,481 tickets took 128 ms of it at 1M tickets (85 µs a call),
-- the bulk of the engineer's list (docs/benchmarks). Same answer: organization_id = NULL matched
-- nothing.
-- Undo: 0954 down puts back 0953's body.

create or replace function caller_holds_equipment(p_equipment_id varchar) returns boolean language plpgsql stable security definer
  set search_path = public, pg_temp as $fn$
begin
  if caller_party_org_id() is null then
    return false;
  end if;
  return exists (select 1 from equipment_relationships r
                  where r.equipment_id = p_equipment_id
                    and r.organization_id = caller_party_org_id()
                    and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
                    and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now()));
end
$fn$;
