-- 0954 down: caller_holds_equipment() as 0953 made it (the lookup even without a party organization).

create or replace function caller_holds_equipment(p_equipment_id varchar) returns boolean language plpgsql stable security definer
  set search_path = public, pg_temp as $fn$
begin
  return exists (select 1 from equipment_relationships r
                  where r.equipment_id = p_equipment_id
                    and r.organization_id = caller_party_org_id()
                    and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
                    and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now()));
end
$fn$;
