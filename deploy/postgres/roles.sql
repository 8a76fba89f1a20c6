-- Each service's own PostgreSQL role, with rights on its own schema only. Run as a superuser against the
-- service database, with psql variables intake_password and console_password:
--   psql -v ON_ERROR_STOP=1 -v intake_password=… -v console_password=… -d helpline -f deploy/postgres/roles.sql
-- Safe to run again (deploy/local/run.sh does, on every start; the compose postgres container on its first
-- start; RoleRightsTests against a fresh database): it creates what is missing and sets the passwords.
--   helpline_intake   owns schema intake   (Intake's tables, its migrations history)
--   helpline_console  owns schema console  (Console's tables, its migrations history)
-- Neither reads the other's schema: the services share data only through RabbitMQ messages. Neither may
-- create anything in public, nor connect to another database; neither is a superuser or may create roles
-- or databases.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['helpline_intake', 'helpline_console']) AS r
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE helpline_intake WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'intake_password';
ALTER ROLE helpline_console WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'console_password';

REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO helpline_intake, helpline_console;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS intake AUTHORIZATION helpline_intake;
CREATE SCHEMA IF NOT EXISTS console AUTHORIZATION helpline_console;
ALTER SCHEMA intake OWNER TO helpline_intake;
ALTER SCHEMA console OWNER TO helpline_console;

-- A database migrated before the roles existed (as the superuser): hand the schema's objects to its role.
-- Sequences of identity or serial columns follow their table.
SELECT format('ALTER TABLE %I.%I OWNER TO %I', n.nspname, c.relname, 'helpline_' || n.nspname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('intake', 'console') AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND pg_get_userbyid(c.relowner) <> 'helpline_' || n.nspname \gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, 'helpline_' || n.nspname)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname IN ('intake', 'console') AND pg_get_userbyid(p.proowner) <> 'helpline_' || n.nspname \gexec
