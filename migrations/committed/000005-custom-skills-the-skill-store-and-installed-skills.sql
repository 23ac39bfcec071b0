--! Previous: sha1:877c7d61c82702612595a3111f5a643bf355b459
--! Hash: sha1:c1b0947d9c6abcfeec76ef7754b394949fe3adc6
--! Message: custom skills, the skill store and installed skills

create table app_public.user_custom_skills (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  name text not null check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  title text not null check (char_length(title) between 1 and 100),
  description text not null default '' check (char_length(description) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, name),
  unique (id, user_id)
);
comment on table app_public.user_custom_skills is 'Skills a user writes for their own assistant and devices.';
create trigger _100_timestamps before update on app_public.user_custom_skills
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.user_custom_skills enable row level security;
alter table app_public.user_custom_skills force row level security;
create policy select_own on app_public.user_custom_skills for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.user_custom_skills for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.user_custom_skills for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.user_custom_skills for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.user_custom_skills for select to openclaw_admin using (true);
grant select, delete on app_public.user_custom_skills to openclaw_user;
grant insert (name, title, description), update (title, description) on app_public.user_custom_skills to openclaw_user;

create type app_public.skill_version_status as enum ('pending_upload', 'uploaded', 'validating', 'valid', 'invalid');

create table app_public.user_custom_skill_versions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  skill_id uuid not null,
  version text not null check (version ~ '^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,40})?$'),
  object_key text not null unique check (char_length(object_key) <= 1024),
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 text check (sha256 is null or sha256 ~ '^[0-9a-f]{64}$'),
  manifest jsonb check (manifest is null or (jsonb_typeof(manifest) = 'object' and pg_column_size(manifest) <= 65536)),
  status app_public.skill_version_status not null default 'pending_upload',
  problems text[] not null default '{}' check (cardinality(problems) <= 100),
  created_at timestamptz not null default now(),
  check (object_key like 'users/' || user_id::text || '/skills/%'),
  unique (skill_id, version),
  unique (id, user_id),
  foreign key (skill_id, user_id) references app_public.user_custom_skills (id, user_id) on delete cascade
);
create index user_custom_skill_versions_user_id_idx on app_public.user_custom_skill_versions (user_id);
create index user_custom_skill_versions_skill_idx on app_public.user_custom_skill_versions (skill_id, user_id);
alter table app_public.user_custom_skill_versions enable row level security;
alter table app_public.user_custom_skill_versions force row level security;
create policy select_own on app_public.user_custom_skill_versions for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.user_custom_skill_versions for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.user_custom_skill_versions for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.user_custom_skill_versions for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.user_custom_skill_versions for select to openclaw_admin using (true);
grant select, delete on app_public.user_custom_skill_versions to openclaw_user;
grant insert (skill_id, version, object_key, size_bytes, sha256, status) on app_public.user_custom_skill_versions to openclaw_user;
grant update (size_bytes, sha256, manifest, status, problems) on app_public.user_custom_skill_versions to openclaw_user;

-- Global: categories of the skill store, readable by everyone, managed by admins.
create table app_public.skill_categories (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text not null check (char_length(name) between 1 and 100),
  description text not null default '' check (char_length(description) <= 1000),
  sort_order int not null default 0,
  created_at timestamptz not null default now()
);
alter table app_public.skill_categories enable row level security;
alter table app_public.skill_categories force row level security;
create policy select_all on app_public.skill_categories for select to openclaw_anonymous, openclaw_user using (true);
create policy insert_admin on app_public.skill_categories for insert to openclaw_admin with check (true);
create policy update_admin on app_public.skill_categories for update to openclaw_admin using (true) with check (true);
create policy delete_admin on app_public.skill_categories for delete to openclaw_admin using (true);
grant select on app_public.skill_categories to openclaw_anonymous, openclaw_user;
grant insert (slug, name, description, sort_order), update (slug, name, description, sort_order), delete
  on app_public.skill_categories to openclaw_admin;
create trigger _900_audit after insert or update or delete on app_public.skill_categories
  for each row execute function app_private.tg__audit_change();

-- The store: a skill a user submitted; versions go through admin review and become visible to all
-- once approved. Until then only the author (and admins) see them.
create type app_public.review_state as enum ('pending', 'approved', 'rejected', 'withdrawn');

create table app_public.store_skills (
  id uuid primary key default gen_random_uuid(),
  author_id uuid default app_public.current_user_id() references app_public.users on delete set null,
  category_id uuid references app_public.skill_categories on delete set null,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  title text not null check (char_length(title) between 1 and 100),
  description text not null default '' check (char_length(description) <= 4000),
  is_published boolean not null default false,
  install_count int not null default 0 check (install_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table app_public.store_skills is 'Skills in the store. Visible to everyone once published; before that only to the author and admins.';
create index store_skills_author_id_idx on app_public.store_skills (author_id);
create index store_skills_category_id_idx on app_public.store_skills (category_id);
create index store_skills_published_idx on app_public.store_skills (is_published);
create trigger _100_timestamps before update on app_public.store_skills
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.store_skills enable row level security;
alter table app_public.store_skills force row level security;
create policy select_published on app_public.store_skills for select to openclaw_anonymous, openclaw_user using (is_published);
create policy select_own on app_public.store_skills for select to openclaw_user using (author_id = (select app_public.current_user_id()));
create policy insert_own on app_public.store_skills for insert to openclaw_user
  with check (author_id = (select app_public.current_user_id()) and not is_published);
create policy update_own on app_public.store_skills for update to openclaw_user
  using (author_id = (select app_public.current_user_id())) with check (author_id = (select app_public.current_user_id()));
create policy select_all on app_public.store_skills for select to openclaw_admin using (true);
create policy update_all on app_public.store_skills for update to openclaw_admin using (true) with check (true);
create policy delete_all on app_public.store_skills for delete to openclaw_admin using (true);
grant select on app_public.store_skills to openclaw_anonymous, openclaw_user;
grant insert (category_id, slug, title, description), update (category_id, title, description) on app_public.store_skills to openclaw_user;
grant update (is_published, category_id) on app_public.store_skills to openclaw_admin;
grant delete on app_public.store_skills to openclaw_admin;
create trigger _900_audit after update of is_published or delete on app_public.store_skills
  for each row execute function app_private.tg__audit_change();

create table app_public.store_skill_versions (
  id uuid primary key default gen_random_uuid(),
  store_skill_id uuid not null references app_public.store_skills on delete cascade,
  author_id uuid default app_public.current_user_id() references app_public.users on delete set null,
  source_version_id uuid references app_public.user_custom_skill_versions on delete set null,
  version text not null check (version ~ '^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,40})?$'),
  object_key text not null check (char_length(object_key) <= 1024),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  manifest jsonb not null default '{}' check (jsonb_typeof(manifest) = 'object' and pg_column_size(manifest) <= 65536),
  review_state app_public.review_state not null default 'pending',
  review_reason text check (review_reason is null or char_length(review_reason) <= 2000),
  reviewed_by uuid references app_public.users on delete set null,
  reviewed_at timestamptz,
  created_at timestamptz not null default now(),
  unique (store_skill_id, version),
  check (review_state <> 'rejected' or review_reason is not null)
);
create index store_skill_versions_skill_idx on app_public.store_skill_versions (store_skill_id, review_state);
create index store_skill_versions_author_id_idx on app_public.store_skill_versions (author_id);
create index store_skill_versions_source_idx on app_public.store_skill_versions (source_version_id);
create index store_skill_versions_reviewed_by_idx on app_public.store_skill_versions (reviewed_by);
alter table app_public.store_skill_versions enable row level security;
alter table app_public.store_skill_versions force row level security;
create policy select_approved on app_public.store_skill_versions for select to openclaw_anonymous, openclaw_user
  using (review_state = 'approved');
create policy select_own on app_public.store_skill_versions for select to openclaw_user using (author_id = (select app_public.current_user_id()));
create policy insert_own on app_public.store_skill_versions for insert to openclaw_user
  with check (author_id = (select app_public.current_user_id()) and review_state = 'pending'
              and exists (select 1 from app_public.store_skills s where s.id = store_skill_id
                          and s.author_id = (select app_public.current_user_id())));
create policy withdraw_own on app_public.store_skill_versions for update to openclaw_user
  using (author_id = (select app_public.current_user_id()) and review_state = 'pending')
  with check (author_id = (select app_public.current_user_id()) and review_state = 'withdrawn');
create policy select_all on app_public.store_skill_versions for select to openclaw_admin using (true);
create policy review_all on app_public.store_skill_versions for update to openclaw_admin using (true) with check (true);
grant select on app_public.store_skill_versions to openclaw_anonymous, openclaw_user;
grant insert (store_skill_id, source_version_id, version, object_key, sha256, manifest) on app_public.store_skill_versions to openclaw_user;
grant update (review_state) on app_public.store_skill_versions to openclaw_user;
grant update (review_state, review_reason, reviewed_by, reviewed_at) on app_public.store_skill_versions to openclaw_admin;
create trigger _900_audit after update of review_state on app_public.store_skill_versions
  for each row execute function app_private.tg__audit_change();

create table app_public.installed_skills (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  store_skill_id uuid references app_public.store_skills on delete cascade,
  store_skill_version_id uuid references app_public.store_skill_versions on delete set null,
  custom_skill_id uuid,
  enabled boolean not null default true,
  installed_at timestamptz not null default now(),
  check ((store_skill_id is null) <> (custom_skill_id is null)),
  unique (user_id, store_skill_id),
  unique (user_id, custom_skill_id),
  foreign key (custom_skill_id, user_id) references app_public.user_custom_skills (id, user_id) on delete cascade
);
comment on table app_public.installed_skills is 'Skills active for a user''s assistant: from the store or their own.';
create index installed_skills_store_skill_idx on app_public.installed_skills (store_skill_id);
create index installed_skills_store_version_idx on app_public.installed_skills (store_skill_version_id);
create index installed_skills_custom_skill_idx on app_public.installed_skills (custom_skill_id, user_id);
alter table app_public.installed_skills enable row level security;
alter table app_public.installed_skills force row level security;
create policy select_own on app_public.installed_skills for select to openclaw_user using (user_id = (select app_public.current_user_id()));
-- Foreign keys do not see RLS, so the policy checks that the store skill is one the user can see.
create policy insert_own on app_public.installed_skills for insert to openclaw_user
  with check (user_id = (select app_public.current_user_id())
              and (store_skill_id is null or exists (select 1 from app_public.store_skills s where s.id = store_skill_id))
              and (store_skill_version_id is null
                   or exists (select 1 from app_public.store_skill_versions v where v.id = store_skill_version_id)));
create policy update_own on app_public.installed_skills for update to openclaw_user
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id())
              and (store_skill_version_id is null
                   or exists (select 1 from app_public.store_skill_versions v where v.id = store_skill_version_id)));
create policy delete_own on app_public.installed_skills for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.installed_skills for select to openclaw_admin using (true);
grant select, delete on app_public.installed_skills to openclaw_user;
grant insert (store_skill_id, store_skill_version_id, custom_skill_id, enabled) on app_public.installed_skills to openclaw_user;
grant update (store_skill_version_id, enabled) on app_public.installed_skills to openclaw_user;
