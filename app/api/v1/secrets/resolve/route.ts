import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { resolveSecrets } from "@/lib/secrets/resolve-secrets";

export const dynamic = "force-dynamic";

// apiRoute sends every answer with Cache-Control: no-store, so no value is kept by a cache on the way.
export const POST = apiRoute(API_V1.resolveSecrets, async ({ input, tx, key, actor, context }) => ({
  values: await resolveSecrets(tx, { key, input, actor, context }),
}));
