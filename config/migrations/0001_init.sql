-- The configuration store: strategies (with live change notification), instruments, users and
-- broker sessions. Applied once by src/config/migrations.ts inside a transaction; never edit it
-- after it has shipped (the runner refuses a changed checksum): add 0002_*.sql instead.

create table strategy_configurations (
  -- Same format as parseStrategyId in src/model/ids.ts.
  id          text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  type        text not null check (type <> ''),
  enabled     boolean not null default true,
  -- Broker names are checked by the application (zod), not here, so that a broker added in code
  -- needs no migration; an unknown one is reported for that row only.
  brokers     text[] not null default '{paper}' check (cardinality(brokers) >= 1),
  instruments integer[] not null check (cardinality(instruments) >= 1),
  parameters  jsonb not null default '{}' check (jsonb_typeof(parameters) = 'object'),
  version     integer not null default 1,
  updated_at  timestamptz not null default now()
);

-- Bumps version and updated_at on a real change only, so that re-seeding identical rows (or an
-- UPDATE that sets a column to its current value) leaves the row and its listeners alone.
create function strategy_configurations_bump() returns trigger
language plpgsql as $$
begin
  if (new.id, new.type, new.enabled, new.brokers, new.instruments, new.parameters)
     is not distinct from
     (old.id, old.type, old.enabled, old.brokers, old.instruments, old.parameters) then
    new.version := old.version;
    new.updated_at := old.updated_at;
  else
    new.version := old.version + 1;
    new.updated_at := now();
  end if;
  return new;
end
$$;

create trigger strategy_configurations_bump
  before update on strategy_configurations
  for each row execute function strategy_configurations_bump();

-- Notifies the channel with the id of every inserted, changed or deleted row, whoever made the
-- change (the store, a migration, psql). NOTIFY is transactional: listeners hear it on commit and
-- then re-read the row. A renamed id notifies both ids so the old one is seen as deleted.
create function strategy_configurations_notify() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform pg_notify('strategy_configurations', old.id);
    return old;
  end if;
  if tg_op = 'UPDATE' then
    if new.id <> old.id then
      perform pg_notify('strategy_configurations', old.id);
    elsif new.version = old.version then
      return new; -- nothing changed (see strategy_configurations_bump)
    end if;
  end if;
  perform pg_notify('strategy_configurations', new.id);
  return new;
end
$$;

create trigger strategy_configurations_notify
  after insert or update or delete on strategy_configurations
  for each row execute function strategy_configurations_notify();

-- The columns of config/instruments.csv as parseInstrumentsCsv reads them; money in integer paise.
-- segment INDICES marks an index (watchable, not tradable).
create table instruments (
  instrument_token integer primary key check (instrument_token > 0),
  tradingsymbol    text not null,
  name             text not null,
  exchange         text not null check (exchange in ('NSE', 'BSE')),
  segment          text not null,
  tick_size_paise  integer not null check (tick_size_paise > 0),
  lot_size         integer not null check (lot_size > 0),
  ref_price_paise  integer not null check (ref_price_paise > 0),
  check (ref_price_paise % tick_size_paise = 0)
);

create table users (
  username      text primary key,
  -- scrypt$N$r$p$saltB64$hashB64, written by hashPassword in src/config/pg-store.ts.
  password_hash text not null check (password_hash like 'scrypt$%'),
  created_at    timestamptz not null default now()
);

create table broker_sessions (
  broker                 text not null,
  user_id                text not null,
  access_token_encrypted bytea not null,
  public_token           text null,
  login_time             timestamptz not null,
  expires_at             timestamptz not null,
  primary key (broker, user_id)
);
