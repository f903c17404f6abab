-- 0001_baseline (down): drops the legacy schema that 0001_baseline.up.sql created, in reverse
-- dependency order (children before the tables they reference), then the updated_at trigger
-- function. Triggers, indexes and constraints go with their tables. Leaves public holding only the
-- runner's schema_migrations; running the up again gives the identical catalog.
-- This loses every row of the legacy tables: it is only for a database being taken back to empty.

drop table price_rules;
drop table price_books;
drop table quotes;
drop table rfqs;
drop table skus;
drop table products;
drop table ticket_status_history;
drop table ticket_comments;
drop table service_tickets;
drop table equipment;
drop table engineer_availability;
drop table engineer_skills;
drop table engineers;
drop table organization_certifications;
drop table contact_persons;
drop table org_relationships;
drop table territories;
drop table organization_facilities;
drop table organizations;
drop function set_updated_at();
