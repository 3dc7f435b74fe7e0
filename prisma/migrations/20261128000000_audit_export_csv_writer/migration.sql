-- The CSV export is written by COPY's own CSV writer (FORMAT csv) from one column
-- per cell, instead of one line per row built by audit_event_csv: the writer quotes
-- and doubles in C, where the line built in SQL took a concat_ws, a replace and
-- several concatenations per row, and ran at about half the speed of the writer.
--
-- audit_csv_text is audit_csv_cell without the quoting: the formula-safe prefix
-- alone. The export forces quotes on every cell that passes through it (FORCE_QUOTE),
-- which quotes each non-null value and leaves NULL empty, as audit_csv_cell did, so
-- the file is byte for byte what audit_event_csv lines gave (rows end in CR LF in the
-- server: lib/db/copy-csv-crlf.ts). audit_event_csv stays as that line's definition,
-- which the tests hold the export to.
--
-- As with the other formatters (20261123010000), no SET search_path, so it is inlined;
-- ASCII 61 43 45 64 9 13 are = + - @ TAB CR.
CREATE FUNCTION public.audit_csv_text(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN pg_catalog.ascii(value) IN (61, 43, 45, 64, 9, 13) THEN '''' || value ELSE value END
$$;
