-- 0002 platform auth (expand): who may call the API.
--   * two cluster-wide roles the server switches to inside each request's transaction
--     (`SET LOCAL ROLE`), so row-level security applies although the pool connects as the owner:
--     abymed_app (a tenant caller, policies scope it to its network) and abymed_app_admin (a
--     system_admin caller, sees everything). Roles belong to the cluster, not to this database, so
--     they are created idempotently here and never dropped by a down: another database on the same
--     server may use them.
--   * users: one role and one organization each; console passwords hashed with scrypt by the app.
--   * api_tokens: bearer tokens stored as SHA-256 hashes (the token itself is 256 random bits, shown
--     once), with expiry and revocation; console sessions are tokens of kind 'session'.
-- Undo: 0002 down drops the two tables and their trigger; the roles stay (cluster-wide).
do $$
declare
  r text;
begin
  foreach r in array array['abymed_app', 'abymed_app_admin'] loop
    begin
      if not exists (select 1 from pg_roles where rolname = r) then
        execute format('create role %I nologin', r);
      end if;
    exception when duplicate_object or unique_violation then
      null; -- another database's migration created it at the same moment
    end;
    -- The owner must be able to SET ROLE to it (a superuser always can).
    if not (select rolsuper from pg_roles where rolname = current_user) and not pg_has_role(current_user, r, 'MEMBER') then
      execute format('grant %I to %I', r, current_user);
    end if;
  end loop;
end $$;

create table users (
  id            uuid primary key default gen_random_uuid(),
  email         text not null,
  full_name     text not null,
  role          text not null
                constraint users_role_check check (role in ('system_admin', 'manufacturer_admin', 'distributor_admin', 'dealer_admin',
                  'hospital_admin', 'engineer')),
  org_id        uuid references organizations (id) on delete restrict,
  -- An engineer user is the login of one engineers row: its assignments are what it sees.
  engineer_id   uuid references engineers (id) on delete restrict,
  -- scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>; null: no console login (API tokens only).
  password_hash text,
  disabled_at   timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint users_org_required check (role = 'system_admin' or org_id is not null),
  constraint users_engineer_required check ((role = 'engineer') = (engineer_id is not null))
);
create unique index users_email_key on users (lower(email));
create index idx_users_org_id on users (org_id);
create trigger trg_users_updated_at before update on users for each row execute function set_updated_at();

create table api_tokens (
  id           uuid primary key default gen_random_uuid(),
  user_id      uuid not null references users (id) on delete cascade,
  kind         text not null constraint api_tokens_kind_check check (kind in ('api', 'session')),
  name         text,
  token_hash   bytea not null constraint api_tokens_token_hash_key unique,
  -- The first characters of the token, to tell tokens apart in listings without storing the secret.
  token_prefix text not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  constraint api_tokens_expiry_after_creation check (expires_at is null or expires_at > created_at)
);
create index idx_api_tokens_user_id on api_tokens (user_id);
