-- 0002 down: drops users and api_tokens. The roles abymed_app and abymed_app_admin are cluster-wide
-- and may serve other databases on this server, so they are left in place.
drop table api_tokens;
drop table users;
