import { describe, expect, it } from "vitest";
import { mapAppRole } from "./migrate";

describe("the migration runner's app role mapping", () => {
  it("maps warden_app as identifier, quoted identifier and string literal to the database's role, and nothing else", () => {
    const sql = `IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'warden_app') THEN CREATE ROLE warden_app NOLOGIN;
GRANT SELECT ON "users" TO warden_app; GRANT USAGE ON SCHEMA public TO "warden_app";
SELECT 'warden' || '_app', warden_app_seq, my_warden_app;`;
    expect(mapAppRole(sql, "warden_app_o'd\"b")).toBe(`IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'warden_app_o''d"b') THEN CREATE ROLE "warden_app_o'd""b" NOLOGIN;
GRANT SELECT ON "users" TO "warden_app_o'd""b"; GRANT USAGE ON SCHEMA public TO "warden_app_o'd""b";
SELECT 'warden' || '_app', warden_app_seq, my_warden_app;`);
  });
});
