"use client";

import Link from "next/link";
import type { ApiKeyRow, ApiKeyStatus } from "@/lib/api-keys/list-api-keys";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { RevokeApiKeyButton, RevokeApiKeyFeedback } from "./revoke-api-key";

const STATUS_STYLE: Record<ApiKeyStatus, string> = {
  active: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  expired: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  revoked: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  suspended: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
};

const STATUS_HINT: Partial<Record<ApiKeyStatus, string>> = {
  suspended: "Its creator no longer holds the rights behind its scopes, so the API refuses it. Revoke it and have a member with those rights create a new key.",
};

/** A client component: its props (the rows as data) are smaller than the rendered table would be as an RSC payload. */
const PAGE_LINK = "rounded-md border border-zinc-300 px-3 py-1.5 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

type Paging = { total: number; page: number; size: number };

/** Which keys of how many are shown, and links to the pages either side. */
function KeyPages({ workspace, paging }: { workspace: string; paging: Paging }) {
  const { total, page, size } = paging;
  const last = Math.ceil(total / size);
  const href = (n: number) => `/w/${workspace}/api-keys?page=${n}`;
  return (
    <nav aria-label="Pages of keys" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400" data-testid="api-key-range">
        Keys {(page - 1) * size + 1}–{Math.min(total, page * size)} of {total}, newest first
      </p>
      {last > 1 ? (
        <div className="flex gap-2">
          {page > 1 ? (
            <Link href={href(page - 1)} className={PAGE_LINK}>
              Newer keys
            </Link>
          ) : null}
          {page < last ? (
            <Link href={href(page + 1)} className={PAGE_LINK}>
              Older keys
            </Link>
          ) : null}
        </div>
      ) : null}
    </nav>
  );
}

export function ApiKeyList({ workspace, keys, paging }: { workspace: string; keys: ApiKeyRow[]; paging: Paging }) {
  return (
    <section aria-labelledby="keys-heading" className="space-y-3">
      <h2 id="keys-heading" className="text-lg font-semibold">
        Keys
      </h2>
      <RevokeApiKeyFeedback>
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet">Create a key for a script or service that calls the Warden API for this workspace. It can do only what its scopes allow.</EmptyState>
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">API keys of this workspace</caption>
              <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
                <tr>
                  {["Name", "Key", "Scopes", "Agent", "Created by", "Created", "Expires", "Last used", "Status"].map((h) => (
                    <th key={h} scope="col" className="px-4 py-2">
                      {h}
                    </th>
                  ))}
                  <th scope="col" className="px-4 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {keys.map((k) => (
                  <tr key={k.id} data-testid="api-key-row">
                    <td className="px-4 py-2 font-medium">{k.name}</td>
                    <td className="px-4 py-2 font-mono text-xs" data-testid="api-key-prefix">
                      {k.prefix}…
                    </td>
                    <td className="px-4 py-2 font-mono text-xs">
                      {k.scopes.join(", ")}
                      {k.scopes.includes("secrets:resolve") ? (
                        <span className="block font-sans text-zinc-600 dark:text-zinc-400" data-testid="api-key-restrictions">
                          {k.environment ? `${k.environment} only` : "any environment"}
                          {" · "}
                          {k.secretNames.length ? <span className="font-mono">{k.secretNames.join(", ")}</span> : "any name"}
                        </span>
                      ) : null}
                      {k.piiRedaction ? (
                        <span className="block font-sans text-zinc-600 dark:text-zinc-400" data-testid="api-key-redaction">
                          {k.piiRedaction.length ? `redacts ${k.piiRedaction.join(", ")} (its own)` : "no PII redaction (its own)"}
                        </span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2" data-testid="api-key-agent">
                      {k.agent ?? <span className="text-zinc-500">any</span>}
                    </td>
                    <td className="px-4 py-2">
                      {k.createdBy ? (
                        <>
                          {k.createdBy.name}
                          <span className="block text-xs text-zinc-500">{k.createdBy.email}</span>
                        </>
                      ) : (
                        <span className="text-zinc-500">a deleted account</span>
                      )}
                    </td>
                    <td className="px-4 py-2">
                      <LocalTime iso={k.createdAt} />
                    </td>
                    <td className="px-4 py-2">{k.expiresAt ? <LocalTime iso={k.expiresAt} /> : "never"}</td>
                    <td className="px-4 py-2">{k.lastUsedAt ? <LocalTime iso={k.lastUsedAt} /> : "never"}</td>
                    <td className="px-4 py-2">
                      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[k.status]}`} data-testid="api-key-status" title={STATUS_HINT[k.status]}>
                        {k.status}
                      </span>
                      {STATUS_HINT[k.status] ? <span className="sr-only">{STATUS_HINT[k.status]}</span> : null}
                    </td>
                    <td className="px-4 py-2 text-right">
                      {k.status === "revoked" ? null : !k.revocable ? (
                        // The server refuses it anyway (revoke-rules.ts); say so in the row rather than offer a button that fails.
                        <span className="text-xs text-zinc-500" data-testid="api-key-not-revocable">
                          Not yours to revoke
                        </span>
                      ) : (
                        <RevokeApiKeyButton workspace={workspace} apiKeyId={k.id} name={k.name} prefix={k.prefix} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {keys.length ? <KeyPages workspace={workspace} paging={paging} /> : null}
      </RevokeApiKeyFeedback>
    </section>
  );
}
