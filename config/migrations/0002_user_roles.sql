-- API users get a role: viewer (reads only) or operator (reads and every command). Rows from
-- before roles existed become viewers: an operator is named on purpose.
alter table users
  add column role text not null default 'viewer' check (role in ('viewer', 'operator'));
