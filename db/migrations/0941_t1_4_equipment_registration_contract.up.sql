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
--   * equipment_relationships_initial_from() comes back (0940 dropped it with the sync helpers):
--     the one rule for when a device's first periods start, used by the API's registration.
-- Undo: 0941 down drops the policy and both functions; nothing else changes.

create function equipment_relationships_initial_from(p_installation_date date, p_purchase_date date, p_created_at timestamptz)
returns timestamptz language sql stable parallel safe as $$
  select least(coalesce(coalesce(p_installation_date, p_purchase_date)::timestamp at time zone 'Asia/Kolkata', p_created_at), now())
$$;

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
