-- The application role is per database (warden_app_<db>, or APP_DATABASE_URL's user):
-- the migration runner maps every `warden_app` in these files to it. Earlier versions
-- granted to one role literally named warden_app, shared by every database on the
-- server; this database's grants move from it to this database's own role.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'warden_app') THEN
    CREATE ROLE warden_app NOLOGIN;
  END IF;
END
$$;

DO $$
DECLARE
  -- Spelled apart so that the runner does not map it: this is the shared role of old.
  legacy TEXT := 'warden' || '_app';
  target TEXT := 'warden_app';
  legacy_oid OID;
  r RECORD;
BEGIN
  SELECT oid INTO legacy_oid FROM pg_catalog.pg_roles WHERE rolname = legacy;
  IF legacy_oid IS NULL OR legacy = target THEN
    RETURN;
  END IF;

  -- Tables, views and sequences in public.
  FOR r IN
    SELECT c.oid::regclass::text AS object, CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind, a.privilege_type
      FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a
     WHERE c.relnamespace = 'public'::regnamespace AND a.grantee = legacy_oid
  LOOP
    EXECUTE format('GRANT %s ON %s %s TO %I', r.privilege_type, r.kind, r.object, target);
    EXECUTE format('REVOKE %s ON %s %s FROM %I', r.privilege_type, r.kind, r.object, legacy);
  END LOOP;

  -- Column grants.
  FOR r IN
    SELECT t.attrelid::regclass::text AS object, t.attname, a.privilege_type
      FROM pg_catalog.pg_attribute t
      JOIN pg_catalog.pg_class c ON c.oid = t.attrelid, LATERAL pg_catalog.aclexplode(t.attacl) a
     WHERE c.relnamespace = 'public'::regnamespace AND a.grantee = legacy_oid
  LOOP
    EXECUTE format('GRANT %s (%I) ON TABLE %s TO %I', r.privilege_type, r.attname, r.object, target);
    EXECUTE format('REVOKE %s (%I) ON TABLE %s FROM %I', r.privilege_type, r.attname, r.object, legacy);
  END LOOP;

  -- Functions and procedures in public.
  FOR r IN
    SELECT p.oid::regprocedure::text AS object, a.privilege_type
      FROM pg_catalog.pg_proc p, LATERAL pg_catalog.aclexplode(p.proacl) a
     WHERE p.pronamespace = 'public'::regnamespace AND a.grantee = legacy_oid
  LOOP
    EXECUTE format('GRANT %s ON ROUTINE %s TO %I', r.privilege_type, r.object, target);
    EXECUTE format('REVOKE %s ON ROUTINE %s FROM %I', r.privilege_type, r.object, legacy);
  END LOOP;

  -- The schema.
  FOR r IN
    SELECT a.privilege_type
      FROM pg_catalog.pg_namespace n, LATERAL pg_catalog.aclexplode(n.nspacl) a
     WHERE n.nspname = 'public' AND a.grantee = legacy_oid
  LOOP
    EXECUTE format('GRANT %s ON SCHEMA public TO %I', r.privilege_type, target);
    EXECUTE format('REVOKE %s ON SCHEMA public FROM %I', r.privilege_type, legacy);
  END LOOP;

  -- The legacy role keeps nothing in this database (CONNECT comes through PUBLIC).
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), legacy);
END
$$;

-- A TEMP table named like one of Warden's shadows it for unqualified names; the app
-- role has no reason to create one. PUBLIC holds TEMPORARY by default.
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM %I', current_database(), 'warden_app');
END
$$;
