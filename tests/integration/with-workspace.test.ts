import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { withSystem, withUser } from "../../lib/db/system";

let owner: pg.Client;
let a: SeededWorkspace;
let b: SeededWorkspace;

beforeAll(async () => {
  owner = await ownerClient();
  a = await seedWorkspace(owner, "wx-a");
  b = await seedWorkspace(owner, "wx-b");
});
afterAll(() => owner.end());

describe("withWorkspace", () => {
  it("scopes every query to the workspace it names", async () => {
    const rows = await withWorkspace(a.workspaceId, (tx) => tx.membership.findMany({ select: { workspaceId: true } }));
    expect(new Set(rows.map((r) => r.workspaceId))).toEqual(new Set([a.workspaceId]));
    const other = await withWorkspace(a.workspaceId, (tx) => tx.workspace.findUnique({ where: { id: b.workspaceId } }));
    expect(other).toBeNull();
  });

  it("leaves no context behind on pooled connections", async () => {
    await Promise.all(Array.from({ length: 12 }, () => withWorkspace(a.workspaceId, (tx) => tx.membership.count())));
    const seen = await Promise.all(Array.from({ length: 12 }, () => withSystem((tx) => tx.membership.count())));
    expect(seen.every((n) => n === 0)).toBe(true);
  });

  it("withUser shows only the user's own memberships", async () => {
    const rows = await withUser(b.ownerId, (tx) => tx.membership.findMany({ select: { workspaceId: true } }));
    expect(rows).toEqual([{ workspaceId: b.workspaceId }]);
  });
});

describe("database access", () => {
  it("only the two doors (with-workspace.ts, system.ts) import the Prisma client", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (entry === "node_modules" || entry === "generated" || entry.startsWith(".")) continue;
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx)$/.test(entry) && !entry.endsWith(".test.ts")) {
          const source = readFileSync(path, "utf8");
          // Type-only imports carry no connection, nor does the Prisma namespace alone
          // (Prisma.sql and friends build SQL fragments for the doors' transactions).
          const imports = source.split("\n").filter((line) => /^import (?!type )/.test(line) && !/^import \{ Prisma \} from/.test(line));
          if (imports.some((line) => /from ["'](\.\/client|[^"']*\/db\/client|[^"']*generated\/prisma\/client)["']/.test(line))) offenders.push(path);
        }
      }
    };
    for (const dir of ["app", "components", "lib", "scripts"]) walk(dir);
    expect(offenders.sort()).toEqual(["lib/db/client.ts", "lib/db/system.ts", "lib/db/with-workspace.ts"]);
  });
});
