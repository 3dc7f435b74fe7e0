-- The Secrets table's sorts, for live secrets (lib/secrets/list-secrets.ts): each
-- index hands a page over in the order asked, so a page of 25 out of 10,000 reads
-- about 25 rows plus the count instead of sorting them all. Sorting by name uses
-- secrets_workspace_id_name_idx; the tie-breaks match the ORDER BY exactly.
-- Partial indexes have no form in schema.prisma; like the live-name index, they
-- live here only.

-- "Updated", both ways (a backward scan serves DESC).
CREATE INDEX "secrets_live_updated_idx" ON public.secrets ("workspace_id", "updated_at", "id") WHERE "deleted_at" IS NULL;
-- "Last resolved": never-resolved secrets last in both directions, by name among themselves.
CREATE INDEX "secrets_live_resolved_asc_idx" ON public.secrets ("workspace_id", "last_resolved_at" ASC NULLS LAST, "name", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "secrets_live_resolved_desc_idx" ON public.secrets ("workspace_id", "last_resolved_at" DESC NULLS LAST, "name", "id") WHERE "deleted_at" IS NULL;
