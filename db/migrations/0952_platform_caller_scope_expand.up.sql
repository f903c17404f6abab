-- 0952 platform caller scope (expand): lists of tickets and devices that stay fast for a small
-- tenant. Under 0951's per-row policies the newest-first list walks service_tickets by created_at
-- and asks each row whether the caller may see it: quick for a manufacturer that sees a good share
-- of the tickets, but a hospital or an engineer that sees a few hundred of 1M tickets would be asked
-- about nearly all of them (660 ms at 30k tickets; about 20 s, past the statement timeout, at 1M).
-- caller_ticket_scope(p_max) / caller_equipment_scope(p_max) return the ids the caller could see
-- (tickets on the devices its organization holds now, and tickets its engineers were ever assigned;
-- devices likewise), read through indexes from the caller's side, when there are at most p_max of
-- them, else NULL. The API lists then read the ids through the primary key and sort them (a small
-- caller), or walk the created_at index as before (a large one). They only narrow: the row policies
-- still decide, and a scope may hold more (an assignment no longer the engineer's) but never less
-- than the policies let through (test/tenancy/caller-scope.test.ts).
-- p_max: walking costs about page / share rows, reading the scope costs its size; they are equal
-- near sqrt(page × rows in the table), which caller_scope_max() computes from pg_class.reltuples.
-- A system_admin has no scope (NULL): it sees everything, and walking is right.
-- UNION ALL and LIMIT, not UNION: the union's hash would read a large caller's whole set before
-- answering "more than p_max"; duplicates only count twice toward p_max.
-- Undo: 0952 down drops the three functions.

create function caller_scope_max(p_table regclass, p_page integer) returns integer language sql stable parallel safe as $fn$
  select greatest(1000, sqrt(greatest(p_page, 1)::float8 * greatest(c.reltuples, 0)))::integer from pg_class c where c.oid = p_table
$fn$;

create function caller_ticket_scope(p_max integer) returns varchar[] language sql stable security definer
  set search_path = public, pg_temp as $fn$
  select case when caller_role() = 'system_admin' then null when count(*) <= p_max then coalesce(array_agg(distinct s.id), '{}') end
    from (select t.id from equipment_relationships r join service_tickets t on t.equipment_id = r.equipment_id
           where r.organization_id = caller_party_org_id()
             and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
             and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
          union all
          select a.ticket_id from engineer_assignments a
           where a.engineer_id in (select e.id from engineers e where e.org_id = caller_party_org_id()
                                   union all
                                   select u.engineer_id from users u where u.id = caller_user_id() and caller_role() = 'engineer')
          limit p_max + 1) s
$fn$;

create function caller_equipment_scope(p_max integer) returns varchar[] language sql stable security definer
  set search_path = public, pg_temp as $fn$
  select case when caller_role() = 'system_admin' then null when count(*) <= p_max then coalesce(array_agg(distinct s.id), '{}') end
    from (select r.equipment_id as id from equipment_relationships r
           where r.organization_id = caller_party_org_id()
             and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
             and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
          union all
          select t.equipment_id from engineer_assignments a join service_tickets t on t.id = a.ticket_id
           where a.engineer_id in (select e.id from engineers e where e.org_id = caller_party_org_id()
                                   union all
                                   select u.engineer_id from users u where u.id = caller_user_id() and caller_role() = 'engineer')
          limit p_max + 1) s
$fn$;
