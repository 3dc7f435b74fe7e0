-- The exports carry what the API's event view carries: the client's own request id
-- (kept apart from the server's since 20261123010000) and the id of the key each
-- hash was computed with, which an auditor needs to check a hash.
--
-- CSV columns: client_request_id follows request_id, key_id follows hash. JSON
-- Lines: the same two names as the API (lib/audit/to-audit-event-view.ts). Both are
-- quoted and neutralised like every text cell: the client chooses its request id,
-- and key_id is whatever the writer was handed (only the hash's form is checked).
--
-- As in 20261123010000, no SET search_path: PostgreSQL never inlines a SQL function
-- that has a SET clause, and these are inlined into the export's query. Every
-- relation, type and Warden function is schema-qualified, and the built-ins resolve
-- in pg_catalog, which is searched first when not listed.

CREATE OR REPLACE FUNCTION public.audit_event_csv(e public.audit_events) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.concat_ws(',', e.seq::text, public.audit_utc(e.occurred_at), e.actor_type, coalesce(e.actor_id::text, ''),
    public.audit_csv_cell(e.actor_label), e.action, public.audit_csv_cell(e.target_type), public.audit_csv_cell(e.target_id),
    public.audit_csv_cell(e.ip), public.audit_csv_cell(e.user_agent), public.audit_csv_cell(e.request_id),
    public.audit_csv_cell(e.client_request_id), public.audit_csv_cell(e.metadata::text), e.hash, public.audit_csv_cell(e.key_id)) || E'\r\n'
$$;

CREATE OR REPLACE FUNCTION public.audit_event_json(e public.audit_events) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.json_build_object(
    'id', e.id, 'seq', e.seq::text, 'occurred_at', public.audit_utc(e.occurred_at),
    'actor', pg_catalog.json_build_object('type', e.actor_type, 'id', e.actor_id, 'label', e.actor_label),
    'action', e.action,
    'target', CASE WHEN e.target_type IS NULL THEN NULL ELSE pg_catalog.json_build_object('type', e.target_type, 'id', e.target_id) END,
    'ip', e.ip, 'user_agent', e.user_agent, 'request_id', e.request_id, 'client_request_id', e.client_request_id,
    'metadata', e.metadata, 'prev_hash', e.prev_hash, 'hash', e.hash, 'key_id', e.key_id
  )::text || E'\n'
$$;
