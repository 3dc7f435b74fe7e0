import { headers } from "next/headers";
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER } from "./header-names";

// Who is asking, as middleware.ts established it.
export type RequestContext = { ip: string | null; userAgent: string | null; requestId: string | null };


export async function getRequestContext(): Promise<RequestContext> {
  const h = await headers();
  return {
    ip: h.get(CLIENT_IP_HEADER),
    userAgent: h.get("user-agent")?.slice(0, 512) ?? null,
    requestId: h.get(REQUEST_ID_HEADER),
  };
}
