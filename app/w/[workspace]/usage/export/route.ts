import { exportUsageCsv } from "@/lib/usage/export-usage-csv";
import { exportRoute } from "@/lib/http/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute(exportUsageCsv, "usage export");
