import { exportAuditLog } from "@/lib/audit/export-audit-log";
import { exportRoute } from "@/lib/http/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute(exportAuditLog, "audit export");
