-- 0001_baseline (up): creates the legacy ABY-MED schema exactly as it stood at the architecture
-- review (docs: ../shared/design/legacy-schema.md), with its 14 flaws kept on purpose so every
-- later step migrates a real shape. `[#n]` marks the review issue a column embodies:
--   #1 one inline engineer on the ticket        #8  certification renewals without links
--   #2 static equipment ownership               #9  one price per (book, sku); dates ignored
--   #3 relationship terms overwritten in place  #10 varchar ids for equipment/tickets/rfqs/quotes
--   #4 rfq/quote line items as jsonb            #11 engineer_skills.manufacturer_name copy
--   #5 engineer coverage as text[] arrays       #12 contact is_primary without history
--   #6 ticket status in two places              #13 one owner per territory
--   #7 customer copied into equipment/tickets   #14 availability date without a time zone
-- Creates no extension (gen_random_uuid() is core since PostgreSQL 13); valid on 15 through 18.
-- Undone by 0001_baseline.down.sql, which drops every table and the trigger function created here,
-- in reverse dependency order, leaving public with the runner's schema_migrations only.

create function set_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Organizations
-- ---------------------------------------------------------------------------------------------

create table organizations (
  id           uuid primary key default gen_random_uuid(),
  name         text not null,
  org_type     text not null
               constraint organizations_org_type_check check (org_type in ('manufacturer', 'distributor', 'dealer', 'supplier',
                 'hospital', 'laboratory', 'diagnostic_center', 'clinic', 'imaging_center', 'service_provider', 'other')),
  status       text default 'active'
               constraint organizations_status_check check (status in ('active', 'inactive', 'suspended')),
  external_ref text,
  metadata     jsonb default '{}'::jsonb,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index idx_organizations_org_type on organizations (org_type);
create index idx_organizations_name on organizations (name);

create table organization_facilities (
  id                uuid primary key default gen_random_uuid(),
  org_id            uuid not null references organizations (id) on delete cascade,
  facility_name     text not null,
  facility_code     text unique,
  facility_type     text
                    constraint organization_facilities_facility_type_check check (facility_type in ('manufacturing', 'warehouse',
                      'service_center', 'showroom', 'hospital', 'r_and_d', 'training')),
  address           jsonb,
  operational_hours jsonb,
  status            text default 'active'
                    constraint organization_facilities_status_check check (status in ('active', 'inactive', 'under_construction')),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index idx_organization_facilities_org_id on organization_facilities (org_id);

-- [#13] one owner per territory: assigned_to_org_id / assigned_to_facility_id are single-valued.
create table territories (
  id                      uuid primary key default gen_random_uuid(),
  name                    text not null,
  code                    text unique not null,
  coverage_type           text
                          constraint territories_coverage_type_check check (coverage_type in ('pincode', 'city', 'district', 'state',
                            'region', 'custom')),
  states                  text[],
  cities                  text[],
  districts               text[],
  pincodes                text[],
  parent_territory_id     uuid references territories (id) on delete set null,
  assigned_to_org_id      uuid references organizations (id) on delete set null,
  assigned_to_facility_id uuid references organization_facilities (id) on delete set null,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now()
);

-- [#3] business terms inline, overwritten by every update.
create table org_relationships (
  id                    uuid primary key default gen_random_uuid(),
  parent_org_id         uuid not null references organizations (id) on delete cascade,
  child_org_id          uuid not null references organizations (id) on delete cascade,
  rel_type              text not null
                        constraint org_relationships_rel_type_check check (rel_type in ('manufacturer_of', 'distributor_of', 'dealer_of',
                          'supplier_of', 'services_for', 'authorized_distributor', 'regional_distributor')),
  relationship_status   text default 'active'
                        constraint org_relationships_relationship_status_check check (relationship_status in ('active', 'inactive',
                          'terminated')),
  start_date            date default current_date,
  end_date              date,
  exclusive             boolean default false,
  territory_id          uuid references territories (id) on delete set null,
  commission_percentage numeric(5,2),
  payment_terms         jsonb,
  credit_limit          numeric(18,2),
  annual_target         numeric(18,2),
  performance_tier      text,
  priority_level        int,
  contract_reference    text,
  metadata              jsonb default '{}'::jsonb,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  constraint org_relationships_not_self check (parent_org_id <> child_org_id)
);
create index idx_org_relationships_parent on org_relationships (parent_org_id);
create index idx_org_relationships_child on org_relationships (child_org_id);

-- [#12] is_primary without history.
create table contact_persons (
  id                       uuid primary key default gen_random_uuid(),
  org_id                   uuid not null references organizations (id) on delete cascade,
  name                     text not null,
  designation              text,
  department               text,
  email                    text not null,
  primary_phone            text not null,
  whatsapp_number          text,
  is_primary               boolean default false,
  can_approve_orders       boolean default false,
  can_raise_tickets        boolean default true,
  preferred_contact_method text
                           constraint contact_persons_preferred_contact_method_check check (preferred_contact_method in ('email', 'phone',
                             'whatsapp')),
  active                   boolean default true,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now()
);
create index idx_contact_persons_org_id on contact_persons (org_id);

-- [#8] a renewal is an edit or a second, unlinked row.
create table organization_certifications (
  id                       uuid primary key default gen_random_uuid(),
  org_id                   uuid not null references organizations (id) on delete cascade,
  facility_id              uuid references organization_facilities (id) on delete set null,
  certification_type       text not null,
  certification_number     text,
  issued_by                text,
  issue_date               date,
  expiry_date              date,
  status                   text default 'active'
                           constraint organization_certifications_status_check check (status in ('active', 'expired', 'suspended')),
  certificate_document_url text,
  scope                    text,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now()
);
create index idx_organization_certifications_org_id on organization_certifications (org_id);

-- ---------------------------------------------------------------------------------------------
-- Engineers
-- ---------------------------------------------------------------------------------------------

-- [#5] coverage as text[] arrays: no hierarchy, no priority, no integrity.
create table engineers (
  id                uuid primary key default gen_random_uuid(),
  employee_id       text,
  full_name         text not null,
  email             text,
  phone             text,
  whatsapp_number   text,
  org_id            uuid references organizations (id) on delete cascade,
  employment_type   text
                    constraint engineers_employment_type_check check (employment_type in ('full_time', 'part_time', 'contract',
                      'freelance')),
  engineer_level    int default 1 constraint engineers_engineer_level_check check (engineer_level between 1 and 3),
  status            text default 'available'
                    constraint engineers_status_check check (status in ('available', 'on_job', 'on_leave', 'inactive')),
  coverage_pincodes text[] default '{}'::text[],
  coverage_cities   text[] default '{}'::text[],
  coverage_states   text[] default '{}'::text[],
  home_region       text,
  skills            text[] default '{}'::text[],
  active_tickets    int default 0,
  max_daily_tickets int default 5,
  customer_rating   numeric(3,2),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index idx_engineers_org_id on engineers (org_id);
create index idx_engineers_status on engineers (status);

-- [#11] manufacturer_name duplicates manufacturer_id.
create table engineer_skills (
  id                   uuid primary key default gen_random_uuid(),
  engineer_id          uuid not null references engineers (id) on delete cascade,
  skill_type           text
                       constraint engineer_skills_skill_type_check check (skill_type in ('equipment_category', 'equipment_type',
                         'equipment_model', 'manufacturer_general', 'service_type')),
  equipment_category   text,
  manufacturer_id      uuid references organizations (id) on delete set null,
  manufacturer_name    text,
  proficiency_level    text
                       constraint engineer_skills_proficiency_level_check check (proficiency_level in ('beginner', 'intermediate',
                         'advanced', 'expert')),
  certified            boolean default false,
  certification_expiry date,
  created_at           timestamptz not null default now()
);
create index idx_engineer_skills_engineer_id on engineer_skills (engineer_id);

-- [#14] a calendar date and wall-clock slots with no time zone.
create table engineer_availability (
  id              uuid primary key default gen_random_uuid(),
  engineer_id     uuid not null references engineers (id) on delete cascade,
  date            date not null,
  available       boolean default true,
  reason          text
                  constraint engineer_availability_reason_check check (reason in ('on_leave', 'on_training', 'sick', 'on_site', 'other')),
  available_slots jsonb,
  created_at      timestamptz not null default now(),
  constraint engineer_availability_engineer_id_date_key unique (engineer_id, date)
);

-- ---------------------------------------------------------------------------------------------
-- Equipment and tickets
-- ---------------------------------------------------------------------------------------------

-- [#10] varchar ids (KSUID-style or codes); [#7] customer copied, customer_id without FK and not
-- always a UUID; [#2] static ownership columns.
create table equipment (
  id                    varchar(32) primary key,
  qr_code               text unique not null,
  serial_number         text unique not null,
  equipment_name        text,
  manufacturer_name     text,
  model_number          text,
  category              text,
  customer_id           varchar(32),
  customer_name         varchar(500),
  manufacturer_org_id   uuid references organizations (id) on delete set null,
  sold_by_dealer_id     uuid references organizations (id) on delete set null,
  owned_by_org_id       uuid references organizations (id) on delete set null,
  installed_facility_id uuid references organization_facilities (id) on delete set null,
  installation_location text,
  installation_date     date,
  purchase_date         date,
  purchase_price        numeric(15,2),
  warranty_expiry       date,
  amc_contract_id       varchar(32),
  status                text default 'operational'
                        constraint equipment_status_check check (status in ('operational', 'down', 'under_maintenance', 'decommissioned')),
  last_service_date     date,
  service_count         int default 0,
  specifications        jsonb default '{}'::jsonb,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create index idx_equipment_customer_id on equipment (customer_id);
create index idx_equipment_category on equipment (category);
create index idx_equipment_status on equipment (status);
create index idx_equipment_manufacturer_org_id on equipment (manufacturer_org_id);
create index idx_equipment_owned_by_org_id on equipment (owned_by_org_id);

-- [#10] varchar ids; equipment_id has no FK; [#7] customer copies; [#1] one inline engineer
-- (an engineer uuid as text, its name, its tier); [#6] status here and in ticket_status_history.
create table service_tickets (
  id                     varchar(32) primary key,
  ticket_number          varchar(50) unique not null,
  equipment_id           varchar(32) not null,
  qr_code                varchar(255),
  serial_number          varchar(255) not null,
  equipment_name         varchar(500) not null,
  customer_id            varchar(32),
  customer_name          varchar(500) not null,
  customer_phone         varchar(20),
  customer_whatsapp      varchar(20),
  issue_category         varchar(100),
  issue_description      text not null,
  priority               varchar(20) default 'medium'
                         constraint service_tickets_priority_check check (priority in ('critical', 'high', 'medium', 'low')),
  source                 varchar(50)
                         constraint service_tickets_source_check check (source in ('whatsapp', 'web', 'phone', 'email', 'scheduled')),
  status                 varchar(50) not null default 'new'
                         constraint service_tickets_status_check check (status in ('new', 'assigned', 'in_progress', 'on_hold', 'resolved',
                           'closed', 'cancelled')),
  assigned_engineer_id   varchar(64),
  assigned_engineer_name varchar(255),
  assignment_tier        int,
  assignment_tier_name   text,
  assigned_at            timestamptz,
  created_at             timestamptz not null default now(),
  acknowledged_at        timestamptz,
  started_at             timestamptz,
  resolved_at            timestamptz,
  closed_at              timestamptz,
  updated_at             timestamptz not null default now(),
  sla_response_due       timestamptz,
  sla_resolution_due     timestamptz,
  sla_breached           boolean default false,
  resolution_notes       text,
  parts_used             jsonb default '[]'::jsonb,
  labor_hours            numeric(5,2),
  cost                   numeric(15,2),
  created_by             varchar(255) not null default 'system'
);
create index idx_service_tickets_status on service_tickets (status);
create index idx_service_tickets_priority on service_tickets (priority);
create index idx_service_tickets_equipment_id on service_tickets (equipment_id);
create index idx_service_tickets_customer_id on service_tickets (customer_id);
create index idx_service_tickets_assigned_engineer_id on service_tickets (assigned_engineer_id);
create index idx_service_tickets_source on service_tickets (source);
create index idx_service_tickets_created_at on service_tickets (created_at desc);
create index idx_service_tickets_sla_breached on service_tickets (sla_breached) where sla_breached = true;
create index idx_service_tickets_parts_used on service_tickets using gin (parts_used);

create table ticket_comments (
  id           varchar(32) primary key,
  ticket_id    varchar(32) not null references service_tickets (id) on delete cascade,
  comment_type varchar(20) default 'engineer'
               constraint ticket_comments_comment_type_check check (comment_type in ('customer', 'engineer', 'internal', 'system')),
  author_id    varchar(32),
  author_name  varchar(255),
  comment      text not null,
  attachments  jsonb default '[]'::jsonb,
  created_at   timestamptz not null default now()
);
create index idx_ticket_comments_ticket_id on ticket_comments (ticket_id);

-- [#6] written by the legacy application after the ticket update, outside that transaction; no
-- trigger keeps it in step with service_tickets.status.
create table ticket_status_history (
  id          varchar(32) primary key,
  ticket_id   varchar(32) not null references service_tickets (id) on delete cascade,
  from_status varchar(50)
              constraint ticket_status_history_from_status_check check (from_status in ('new', 'assigned', 'in_progress', 'on_hold',
                'resolved', 'closed', 'cancelled')),
  to_status   varchar(50) not null
              constraint ticket_status_history_to_status_check check (to_status in ('new', 'assigned', 'in_progress', 'on_hold',
                'resolved', 'closed', 'cancelled')),
  changed_by  varchar(32),
  changed_at  timestamptz not null default now(),
  reason      text
);
create index idx_ticket_status_history_ticket_id on ticket_status_history (ticket_id);
create index idx_ticket_status_history_changed_at on ticket_status_history (changed_at);

-- ---------------------------------------------------------------------------------------------
-- Catalog, procurement, pricing
-- ---------------------------------------------------------------------------------------------

create table products (
  id                  uuid primary key default gen_random_uuid(),
  manufacturer_org_id uuid references organizations (id) on delete set null,
  name                text not null,
  category            text,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
create index idx_products_manufacturer_org_id on products (manufacturer_org_id);

create table skus (
  id         uuid primary key default gen_random_uuid(),
  product_id uuid not null references products (id) on delete cascade,
  sku_code   text unique,
  name       text,
  attributes jsonb default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index idx_skus_product_id on skus (product_id);

-- [#10] ULID-sized varchar(26) ids; [#4] line items inline as jsonb.
create table rfqs (
  id                varchar(26) primary key,
  rfq_number        text unique,
  requesting_org_id uuid references organizations (id) on delete set null,
  title             text not null,
  status            text default 'draft'
                    constraint rfqs_status_check check (status in ('draft', 'published', 'closed', 'awarded', 'cancelled')),
  response_deadline timestamptz,
  items             jsonb not null default '[]'::jsonb,
  created_by        text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index idx_rfqs_requesting_org_id on rfqs (requesting_org_id);
create index idx_rfqs_status on rfqs (status);

-- [#10] varchar ids; rfq_id and supplier_org_id reference nothing; [#4] line items inline as jsonb.
create table quotes (
  id              varchar(32) primary key,
  quote_number    text unique,
  rfq_id          varchar(26),
  supplier_org_id uuid,
  status          text default 'draft'
                  constraint quotes_status_check check (status in ('draft', 'submitted', 'under_review', 'accepted', 'rejected', 'expired',
                    'withdrawn')),
  currency        text default 'INR',
  total_amount    numeric(15,2),
  valid_until     date,
  line_items      jsonb not null default '[]'::jsonb,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index idx_quotes_rfq_id on quotes (rfq_id);
create index idx_quotes_supplier_org_id on quotes (supplier_org_id);

create table price_books (
  id         uuid primary key default gen_random_uuid(),
  name       text not null,
  org_id     uuid references organizations (id) on delete cascade,
  channel    text constraint price_books_channel_check check (channel in ('DIRECT', 'PARTNER', 'ONLINE')),
  currency   text default 'INR',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- [#9] one price per (book, sku): a new price overwrites the old one; valid_from/valid_to are ignored.
create table price_rules (
  id         uuid primary key default gen_random_uuid(),
  book_id    uuid not null references price_books (id) on delete cascade,
  sku_id     uuid not null references skus (id) on delete cascade,
  price      numeric(18,2) not null,
  valid_from timestamptz,
  valid_to   timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint price_rules_book_id_sku_id_key unique (book_id, sku_id)
);
create index idx_price_rules_sku_id on price_rules (sku_id);

-- updated_at on every table that has one (the legacy application relied on this trigger).
create trigger trg_organizations_updated_at before update on organizations for each row execute function set_updated_at();
create trigger trg_organization_facilities_updated_at before update on organization_facilities for each row execute function set_updated_at();
create trigger trg_territories_updated_at before update on territories for each row execute function set_updated_at();
create trigger trg_org_relationships_updated_at before update on org_relationships for each row execute function set_updated_at();
create trigger trg_contact_persons_updated_at before update on contact_persons for each row execute function set_updated_at();
create trigger trg_organization_certifications_updated_at before update on organization_certifications
  for each row execute function set_updated_at();
create trigger trg_engineers_updated_at before update on engineers for each row execute function set_updated_at();
create trigger trg_equipment_updated_at before update on equipment for each row execute function set_updated_at();
create trigger trg_service_tickets_updated_at before update on service_tickets for each row execute function set_updated_at();
create trigger trg_products_updated_at before update on products for each row execute function set_updated_at();
create trigger trg_skus_updated_at before update on skus for each row execute function set_updated_at();
create trigger trg_rfqs_updated_at before update on rfqs for each row execute function set_updated_at();
create trigger trg_quotes_updated_at before update on quotes for each row execute function set_updated_at();
create trigger trg_price_books_updated_at before update on price_books for each row execute function set_updated_at();
create trigger trg_price_rules_updated_at before update on price_rules for each row execute function set_updated_at();
