-- 0008 down: remove uuid_v7() and the extensions 0008 created. Later steps that use them are
-- reverted first, so nothing depends on them here.
drop function uuid_v7(timestamptz);
drop extension if exists pg_trgm;
drop extension if exists btree_gist;
