-- 0941 T1.4 equipment registration (contract): a tenant registers a device on the contracted schema.
-- After 0940 a tenant sees a device only through its current periods, and a device just inserted
-- has none; equipment_relationships.party_insert (0040) needs the device visible, so the caller
-- that registered it could not open its first periods. (Before 0940 the legacy -> history trigger
-- opened them as the definer, from the static columns the 0003 policy had checked.)
--   * equipment_registered_here(id): the device row was written by this very transaction and has
--     no period yet. SECURITY DEFINER: it looks at a row the caller cannot see yet.
--   * policy party_register: a tenant may open the first ('initial') periods in which its own
--     organization makes, sells or owns a device it registered in this transaction, the rule
--     0003's party_insert enforced on the static columns. The device is then the caller's, and its
--     remaining periods (another party, its facility) pass party_insert.
-- The application needs nothing else from this step: it opens the periods with SQL of its own, so a
-- registration between 0940 and 0941 (as the system role, or by the legacy application as owner)
-- works too.
-- Undo: 0941 down drops the policy and the function; nothing else changes.

-- xmin = the top-level transaction id: the API writes a registration without savepoints.
create function equipment_registered_here(p_equipment_id varchar) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select exists (select 1 from equipment e where e.id = p_equipment_id and e.xmin = pg_current_xact_id()::xid)
     and not exists (select 1 from equipment_relationships r where r.equipment_id = p_equipment_id)
$$;

create policy party_register on equipment_relationships for insert to abymed_app
  with check (transfer_type = 'initial'
      and relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
      and organization_id = (select caller_party_org_id())
      and equipment_registered_here(equipment_id));
