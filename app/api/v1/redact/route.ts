import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { redactPii } from "@/lib/redaction/redact-pii";

export const dynamic = "force-dynamic";

// Nothing is stored: the runtime scrubs a prompt before sending it upstream.
export const POST = apiRoute(API_V1.redactText, async ({ input, redaction }) => {
  const { text, redacted } = redactPii(input.text, redaction);
  return { text, redacted, kinds: redaction };
});
