import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type pg from "pg";
import { ownerClient } from "../support/owner-db";

// schema.prisma is the model the client is generated from; the SQL migrations are
// what the database really is. This test fails when one has a table, column, type
// or nullability the other lacks.

type Column = { type: string; nullable: boolean };
type Tables = Record<string, Record<string, Column>>;

const SCALARS: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric",
  Json: "jsonb",
  Bytes: "bytea",
  DateTime: "timestamp(3) without time zone",
};

function parseSchema(source: string): Tables {
  const enums = new Set([...source.matchAll(/^enum\s+(\w+)\s*{/gm)].map((m) => m[1]));
  const tables: Tables = {};
  for (const [, model, body] of source.matchAll(/^model\s+(\w+)\s*{([\s\S]*?)^}/gm)) {
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    const columns: Record<string, Column> = {};
    for (const raw of body.split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field || line.startsWith("@@")) continue;
      const [, name, baseType, list, optional, attrs] = field;
      const isScalar = baseType in SCALARS || enums.has(baseType);
      if (!isScalar) continue;
      const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? name;
      const native = /@db\.(\w+)(?:\((\d+)\))?/.exec(attrs);
      let type = enums.has(baseType) ? `enum ${baseType}` : SCALARS[baseType];
      if (native?.[1] === "Uuid") type = "uuid";
      if (native?.[1] === "Timestamptz") type = `timestamp(${native[2] ?? 6}) with time zone`;
      if (native?.[1] === "Text") type = "text";
      if (native?.[1] === "Date") type = "date";
      if (list) type = `${type}[]`;
      columns[column] = { type, nullable: Boolean(optional) };
    }
    tables[table] = columns;
  }
  return tables;
}

async function readDatabase(client: pg.Client): Promise<Tables> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; datetime_precision: number | null }>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, datetime_precision
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const tables: Tables = {};
  for (const r of rows) {
    let type = r.data_type;
    if (r.data_type === "USER-DEFINED") type = `enum ${r.udt_name}`;
    // Array element types come back by their internal names (int4); the model's scalars use the SQL ones.
    const ELEMENT: Record<string, string> = { int4: "integer", int8: "bigint", bool: "boolean" };
    if (r.data_type === "ARRAY") type = `${ELEMENT[r.udt_name.replace(/^_/, "")] ?? r.udt_name.replace(/^_/, "")}[]`;
    if (r.data_type.startsWith("timestamp")) type = r.data_type.replace("timestamp", `timestamp(${r.datetime_precision})`);
    (tables[r.table_name] ??= {})[r.column_name] = { type, nullable: r.is_nullable === "YES" };
  }
  return tables;
}

let client: pg.Client;
beforeAll(async () => {
  client = await ownerClient();
});
afterAll(() => client.end());

describe("schema.prisma and the migrations", () => {
  it("describe the same tables, columns, types and nullability", async () => {
    const model = parseSchema(readFileSync("prisma/schema.prisma", "utf8"));
    const database = await readDatabase(client);
    expect(Object.keys(model).length).toBeGreaterThan(3);
    expect(database).toEqual(model);
  });

  it("agree on enum values", async () => {
    const source = readFileSync("prisma/schema.prisma", "utf8");
    for (const [, name, body] of source.matchAll(/^enum\s+(\w+)\s*{([\s\S]*?)}/gm)) {
      const values = body
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("//"));
      const { rows } = await client.query(`SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`, [name]);
      expect(
        rows.map((r) => r.enumlabel),
        name,
      ).toEqual(values);
    }
  });
});
