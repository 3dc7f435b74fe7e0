import { z } from "zod";
import { ROLES } from "../authz/capabilities";
import { emailSchema } from "../auth/password-rules";
import { safeText, uuidId } from "../validation/safe-input";

export const roleSchema = z.enum(ROLES, "Choose a role: owner, admin, developer, editor or viewer");

export const inviteSchema = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.object({
  userId: uuidId("Unknown member"),
  role: roleSchema,
  // The role the form showed: if it changed meanwhile, the form is stale.
  expectedRole: roleSchema.optional(),
});
export const memberTargetSchema = z.object({ userId: uuidId("Unknown member") });
export const invitationTargetSchema = z.object({ invitationId: uuidId("Unknown invitation") });

export const MEMBER_SORTS = ["name", "email", "role", "joined", "lastActive"] as const;
// A link's sort, filter or page that makes no sense falls back to the default view;
// a search that cannot be run is refused with a message (the page says what is
// wrong) rather than silently dropped, which would show everyone as its result.
export const memberQuerySchema = z.object({
  q: safeText({ max: 100, message: "Search for one name or email" }).optional(),
  role: roleSchema.optional().catch(undefined),
  mfa: z.enum(["on", "off"]).optional().catch(undefined),
  sort: z.enum(MEMBER_SORTS).default("joined").catch("joined"),
  dir: z.enum(["asc", "desc"]).default("asc").catch("asc"),
  // No upper bound here: a page past the end is clamped to the last one by listMembers.
  page: z.coerce.number().int().min(1).default(1).catch(1),
  size: z.coerce.number().int().min(10).max(100).default(25).catch(25),
});
export type MemberQuery = z.output<typeof memberQuerySchema>;
