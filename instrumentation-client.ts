import { z } from "zod";

// Runs in the browser before the app hydrates. zod compiles object parsers with
// `new Function` unless told not to, and probes for it on first use; under the
// console's CSP (no 'unsafe-eval') the probe is refused and reported as a
// violation even though zod recovers. jitless skips both, so a normal page raises
// none and a report that does arrive at /api/csp-report means something.
z.config({ jitless: true });
