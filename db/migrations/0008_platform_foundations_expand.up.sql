-- 0008 platform foundations (expand): what every later step builds on.
--   * extensions btree_gist (scalar equality inside EXCLUDE USING gist, for no-overlap validity
--     periods) and pg_trgm (typo-tolerant name search);
--   * uuid_v7(): time-ordered UUIDs for new tables' keys. PostgreSQL 15 has no uuidv7(), and a v7
--     that is random inside each millisecond packs B-tree leaves worse than v4 (migration-practice
--     M5), so the 12 bits after the millisecond carry the sub-millisecond fraction (RFC 9562 §6.2,
--     method 3): values generated one after another in a backend are increasing.
-- Undo: 0008 down drops the function and the extensions (every later step that uses them has been
-- reverted before it).
create extension if not exists btree_gist;
create extension if not exists pg_trgm;

create function uuid_v7(p_at timestamptz default clock_timestamp()) returns uuid
language plpgsql volatile parallel safe as $$
declare
  us  bigint := floor(extract(epoch from p_at) * 1000000)::bigint;
  sub int    := ((us % 1000) * 4096 / 1000)::int;
  b   bytea  := uuid_send(gen_random_uuid());  -- random bits, variant 10xx already set
begin
  b := overlay(b placing substring(int8send(us / 1000) from 3) from 1 for 6);
  b := set_byte(b, 6, 112 | (sub >> 8));   -- version 7 in the high nibble, then 4 bits of the fraction
  b := set_byte(b, 7, sub & 255);          -- the other 8 bits of the fraction
  return encode(b, 'hex')::uuid;
end $$;

comment on function uuid_v7(timestamptz) is 'Time-ordered UUID (version 7) with sub-millisecond precision; monotonic within a backend at microsecond resolution.';
